package io.fulcrum.admin;

import static io.fulcrum.admin.StateApiTest.paths;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fulcrum.config.ConfigWriter;
import io.fulcrum.scaling.launcher.Instances;
import io.fulcrum.testing.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Launch templates and auto scaling groups, with real instances of the demo backend. */
class AutoScalingApiTest {
    private static final String GROUP = """
            {"name": "asg", "launchTemplateName": "demo", "minSize": 0, "maxSize": 3, "desiredCapacity": 0,
             "zones": ["zone-a", "zone-b"], "targetGroupNames": ["fleet"]}
            """;

    @TempDir
    Path dataDirectory;

    private static String config() throws Exception {
        return Configs.base() + """
                  - name: fleet
                    targetType: instance
                    healthCheck: %s
                """.formatted(TestConfigs.FAST_CHECKS);
    }

    @Test
    void setDesiredCapacityStoresTheValueAndMovesTheLiveGroup() throws Exception {
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, config())) {
            String template = ConfigWriter.launchTemplate(Instances.demoBackend()).toString();
            assertThat(fulcrum.post("/v1/launch-templates", template).status()).isEqualTo(201);
            assertThat(fulcrum.post("/v1/launch-templates", template).status()).isEqualTo(200);
            AdminFixture.Response templateDuplicate = fulcrum.post("/v1/launch-templates",
                    "{\"name\": \"demo\", \"command\": [\"sleep\", \"1\"]}");
            assertThat(templateDuplicate.status()).isEqualTo(409);
            assertThat(templateDuplicate.code()).isEqualTo("InvalidLaunchTemplateName.AlreadyExistsException");

            AdminFixture.Response created = fulcrum.post("/v1/auto-scaling-groups", GROUP);
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.json().get("liveDesiredCapacity").asInt()).isEqualTo(0);
            assertThat(created.json().get("instances")).isEmpty();
            AdminFixture.Response duplicate = fulcrum.post("/v1/auto-scaling-groups", GROUP.replace("\"maxSize\": 3", "\"maxSize\": 4"));
            assertThat(duplicate.status()).isEqualTo(409);
            assertThat(duplicate.code()).isEqualTo("AlreadyExists");

            AdminFixture.Response set = fulcrum.post("/v1/auto-scaling-groups/asg/desired-capacity",
                    "{\"desiredCapacity\": 2, \"honorCooldown\": false}");
            assertThat(set.status()).isEqualTo(200);
            assertThat(set.json().get("desiredCapacity").asInt()).isEqualTo(2);
            assertThat(fulcrum.controlPlane.current().config().autoScalingGroup("asg").desiredCapacity()).isEqualTo(2);
            assertThat(fulcrum.autoScaling.group("asg").orElseThrow().spec().desiredCapacity()).isEqualTo(2);

            Set<Integer> ports = new HashSet<>();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode instances = fulcrum.get("/v1/auto-scaling-groups/asg/instances").json().get("instances");
                assertThat(instances).hasSize(2);
                ports.clear();
                for (JsonNode instance : instances) {
                    assertThat(instance.get("lifecycleState").asText()).isEqualTo("InService");
                    assertThat(instance.get("autoScalingGroupName").asText()).isEqualTo("asg");
                    assertThat(instance.at("/launchTemplate/launchTemplateName").asText()).isEqualTo("demo");
                    ports.add(instance.get("port").asInt());
                }
            });
            // targets the group registered show in the target group's health
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode health = fulcrum.get("/v1/target-groups/fleet/health").json().get("targetHealthDescriptions");
                Set<Integer> healthPorts = new HashSet<>();
                health.forEach(description -> healthPorts.add(description.at("/target/port").asInt()));
                assertThat(healthPorts).isEqualTo(ports);
            });
            JsonNode activities = fulcrum.get("/v1/auto-scaling-groups/asg/activities").json().get("activities");
            assertThat(activities).hasSize(2);
            for (JsonNode activity : activities) {
                assertThat(activity.get("activityId").asText()).isNotEmpty();
                assertThat(activity.get("autoScalingGroupName").asText()).isEqualTo("asg");
                assertThat(activity.get("description").asText()).startsWith("Launching a new EC2 instance");
                assertThat(activity.get("cause").asText()).contains(
                        "a user request explicitly set group desired capacity changing the desired capacity from 0 to 2");
                assertThat(activity.get("startTime").asText()).isNotEmpty();
                assertThat(activity.get("statusCode").asText()).isIn("InProgress", "Successful");
                assertThat(activity.get("progress").asInt()).isBetween(0, 100);
            }

            // an instance's target belongs to its group: not deregistered through the target group
            AdminFixture.Response foreign = fulcrum.post("/v1/target-groups/fleet/targets/deregister",
                    "{\"targets\": [{\"id\": \"127.0.0.1\", \"port\": %d}]}".formatted(ports.iterator().next()));
            assertThat(foreign.status()).isEqualTo(400);
            assertThat(foreign.code()).isEqualTo("InvalidTarget");

            AdminFixture.Response tooMany = fulcrum.post("/v1/auto-scaling-groups/asg/desired-capacity",
                    "{\"desiredCapacity\": 9}");
            assertThat(tooMany.status()).isEqualTo(400);
            assertThat(paths(tooMany)).containsExactly("desiredCapacity");
            assertThat(paths(fulcrum.post("/v1/auto-scaling-groups/asg/desired-capacity", "{\"desiredCapacity\": \"x\"}")))
                    .containsExactly("desiredCapacity");
            AdminFixture.Response unknown = fulcrum.post("/v1/auto-scaling-groups/nope/desired-capacity",
                    "{\"desiredCapacity\": 1}");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.code()).isEqualTo("AutoScalingGroupNotFound");

            // UpdateAutoScalingGroup: only the given fields change
            AdminFixture.Response updated = fulcrum.put("/v1/auto-scaling-groups/asg", "{\"maxSize\": 5}");
            assertThat(updated.status()).isEqualTo(200);
            assertThat(updated.json().get("maxSize").asInt()).isEqualTo(5);
            assertThat(updated.json().get("desiredCapacity").asInt()).isEqualTo(2);
            assertThat(updated.json().get("zones")).hasSize(2);
            AdminFixture.Response invalidUpdate = fulcrum.put("/v1/auto-scaling-groups/asg", "{\"minSize\": 6}");
            assertThat(invalidUpdate.status()).isEqualTo(400);
            assertThat(paths(invalidUpdate)).isNotEmpty().allMatch(path -> !path.startsWith("autoScalingGroups["));
            assertThat(fulcrum.get("/v1/auto-scaling-groups").json().get("autoScalingGroups")).hasSize(1);

            // in use: the target group, the template and the group with instances
            AdminFixture.Response fleetInUse = fulcrum.delete("/v1/target-groups/fleet");
            assertThat(fleetInUse.status()).isEqualTo(409);
            assertThat(fleetInUse.json().at("/error/message").asText()).contains("auto scaling group asg");
            AdminFixture.Response templateInUse = fulcrum.delete("/v1/launch-templates/demo");
            assertThat(templateInUse.status()).isEqualTo(409);
            assertThat(templateInUse.code()).isEqualTo("ResourceInUse");
            AdminFixture.Response groupInUse = fulcrum.delete("/v1/auto-scaling-groups/asg");
            assertThat(groupInUse.status()).isEqualTo(409);
            assertThat(groupInUse.code()).isEqualTo("ResourceInUse");

            assertThat(fulcrum.delete("/v1/auto-scaling-groups/asg?forceDelete=true").status()).isEqualTo(204);
            assertThat(fulcrum.autoScaling.group("asg")).isEmpty();
            assertThat(fulcrum.get("/v1/auto-scaling-groups/asg").code()).isEqualTo("AutoScalingGroupNotFound");
            assertThat(fulcrum.get("/v1/auto-scaling-groups/asg/activities").status()).isEqualTo(404);
            assertThat(fulcrum.delete("/v1/launch-templates/demo").status()).isEqualTo(204);
            assertThat(fulcrum.get("/v1/launch-templates/demo").code())
                    .isEqualTo("InvalidLaunchTemplateName.NotFoundException");
        }
    }

    @Test
    void aGroupNeedsAKnownTemplateAndValidSizes() throws Exception {
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, config())) {
            AdminFixture.Response invalid = fulcrum.post("/v1/auto-scaling-groups", GROUP.replace("\"maxSize\": 3", "\"maxSize\": -1"));
            assertThat(invalid.status()).isEqualTo(400);
            assertThat(paths(invalid)).contains("launchTemplateName", "maxSize");
            AdminFixture.Response template = fulcrum.post("/v1/launch-templates", "{\"name\": \"t\", \"command\": []}");
            assertThat(template.status()).isEqualTo(400);
            assertThat(paths(template)).contains("name", "command");
            assertThat(fulcrum.get("/v1/launch-templates").json().get("launchTemplates")).isEmpty();
            assertThat(fulcrum.revision()).isEqualTo(1);
        }
    }
}
