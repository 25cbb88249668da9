package io.fulcrum.admin;

import static io.fulcrum.admin.StateApiTest.paths;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fulcrum.config.ConfigWriter;
import io.fulcrum.model.ScalingPolicyType;
import io.fulcrum.scaling.launcher.Instances;
import io.fulcrum.testing.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A group's scaling policies and scheduled actions as sub-resources stored in the desired state. */
class ScalingPoliciesApiTest {
    private static final String POLICY = """
            {"type": "TargetTrackingScaling",
             "targetTracking": {"predefinedMetric": "ALBRequestCountPerTarget", "targetValue": %s}}
            """;

    @TempDir
    Path dataDirectory;

    private static AdminFixture start(Path dataDirectory) throws Exception {
        AdminFixture fulcrum = AdminFixture.start(dataDirectory, Configs.base() + """
                  - name: fleet
                    targetType: instance
                    healthCheck: %s
                """.formatted(TestConfigs.FAST_CHECKS));
        assertThat(fulcrum.post("/v1/launch-templates",
                ConfigWriter.launchTemplate(Instances.demoBackend()).toString()).status()).isEqualTo(201);
        assertThat(fulcrum.post("/v1/auto-scaling-groups", """
                {"name": "asg", "launchTemplateName": "demo", "minSize": 0, "maxSize": 4, "desiredCapacity": 0,
                 "zones": ["zone-a"], "targetGroupNames": ["fleet"]}
                """).status()).isEqualTo(201);
        return fulcrum;
    }

    @Test
    void putScalingPolicyCreatesReplacesAndDeletes() throws Exception {
        try (AdminFixture fulcrum = start(dataDirectory)) {
            AdminFixture.Response created = fulcrum.put("/v1/auto-scaling-groups/asg/policies/keep-rps",
                    POLICY.formatted("100"));
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.json().get("name").asText()).isEqualTo("keep-rps");
            assertThat(created.json().at("/targetTracking/targetValue").asDouble()).isEqualTo(100);
            AdminFixture.Response replaced = fulcrum.put("/v1/auto-scaling-groups/asg/policies/keep-rps",
                    POLICY.formatted("250"));
            assertThat(replaced.status()).isEqualTo(200);

            AdminFixture.Response one = fulcrum.get("/v1/auto-scaling-groups/asg/policies/keep-rps");
            assertThat(one.status()).isEqualTo(200);
            assertThat(one.json().at("/targetTracking/targetValue").asDouble()).isEqualTo(250);
            assertThat(fulcrum.get("/v1/auto-scaling-groups/asg/policies").json().get("scalingPolicies")).hasSize(1);
            assertThat(fulcrum.controlPlane.current().config().autoScalingGroup("asg").policies())
                    .singleElement().satisfies(policy -> {
                        assertThat(policy.type()).isEqualTo(ScalingPolicyType.TargetTrackingScaling);
                        assertThat(policy.targetTracking().targetValue()).isEqualTo(250);
                    });
            // the live group evaluates it: the group's GET shows its status
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode statuses = fulcrum.get("/v1/auto-scaling-groups/asg").json().get("policyStatuses");
                assertThat(statuses).hasSize(1);
                assertThat(statuses.get(0).get("policyName").asText()).isEqualTo("keep-rps");
                assertThat(statuses.get(0).get("policyType").asText()).isEqualTo("TargetTrackingScaling");
            });

            // validated as in the config file, with paths relative to the body
            long revision = fulcrum.revision();
            AdminFixture.Response invalid = fulcrum.put("/v1/auto-scaling-groups/asg/policies/keep-rps",
                    POLICY.formatted("-1"));
            assertThat(invalid.status()).isEqualTo(400);
            assertThat(paths(invalid)).containsExactly("targetTracking.targetValue");
            AdminFixture.Response typo = fulcrum.put("/v1/auto-scaling-groups/asg/policies/other",
                    "{\"type\": \"TargetTrackingScalling\"}");
            assertThat(typo.status()).isEqualTo(400);
            assertThat(paths(typo)).contains("type");
            AdminFixture.Response renamed = fulcrum.put("/v1/auto-scaling-groups/asg/policies/keep-rps",
                    "{\"name\": \"other\", \"type\": \"TargetTrackingScaling\"}");
            assertThat(paths(renamed)).containsExactly("name");
            assertThat(fulcrum.revision()).isEqualTo(revision);

            assertThat(fulcrum.delete("/v1/auto-scaling-groups/asg/policies/keep-rps").status()).isEqualTo(204);
            AdminFixture.Response gone = fulcrum.get("/v1/auto-scaling-groups/asg/policies/keep-rps");
            assertThat(gone.status()).isEqualTo(404);
            assertThat(gone.code()).isEqualTo("PolicyNotFound");
            assertThat(fulcrum.delete("/v1/auto-scaling-groups/asg/policies/keep-rps").code()).isEqualTo("PolicyNotFound");
            assertThat(fulcrum.put("/v1/auto-scaling-groups/nope/policies/p", POLICY.formatted("1")).code())
                    .isEqualTo("AutoScalingGroupNotFound");
            assertThat(fulcrum.controlPlane.current().config().autoScalingGroup("asg").policies()).isEmpty();
        }
    }

    @Test
    void putScheduledUpdateGroupActionCreatesAndDeletes() throws Exception {
        try (AdminFixture fulcrum = start(dataDirectory)) {
            AdminFixture.Response created = fulcrum.put("/v1/auto-scaling-groups/asg/scheduled-actions/mornings",
                    "{\"recurrence\": \"0 9 * * MON-FRI\", \"timeZone\": \"Europe/Paris\", \"desiredCapacity\": 0}");
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.json().get("recurrence").asText()).isEqualTo("0 9 * * MON-FRI");
            JsonNode listed = fulcrum.get("/v1/auto-scaling-groups/asg/scheduled-actions").json()
                    .get("scheduledUpdateGroupActions");
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).get("name").asText()).isEqualTo("mornings");
            assertThat(fulcrum.controlPlane.current().config().autoScalingGroup("asg").scheduledActions())
                    .singleElement().satisfies(action -> assertThat(action.timeZone()).isEqualTo("Europe/Paris"));

            AdminFixture.Response invalid = fulcrum.put("/v1/auto-scaling-groups/asg/scheduled-actions/mornings",
                    "{\"recurrence\": \"0 25 * * *\", \"maxSize\": 9}");
            assertThat(invalid.status()).isEqualTo(400);
            assertThat(paths(invalid)).contains("recurrence");

            assertThat(fulcrum.delete("/v1/auto-scaling-groups/asg/scheduled-actions/mornings").status()).isEqualTo(204);
            assertThat(fulcrum.get("/v1/auto-scaling-groups/asg/scheduled-actions/mornings").code())
                    .isEqualTo("ScheduledActionNotFound");
        }
    }
}
