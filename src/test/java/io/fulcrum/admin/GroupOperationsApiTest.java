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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations on a running group over real HTTP, with real instances of the demo backend:
 * standby, terminate, protection, suspended processes, instance refreshes, and their error codes.
 */
class GroupOperationsApiTest {
    @TempDir
    Path dataDirectory;

    private static String config() throws Exception {
        return Configs.base() + """
                  - name: fleet
                    targetType: instance
                    healthCheck: %s
                    attributes: {deregistrationDelay: 0s}
                """.formatted(TestConfigs.FAST_CHECKS);
    }

    private static AdminFixture start(Path dataDirectory, int desired) throws Exception {
        AdminFixture fulcrum = AdminFixture.start(dataDirectory, config());
        assertThat(fulcrum.post("/v1/launch-templates",
                ConfigWriter.launchTemplate(Instances.demoBackend()).toString()).status()).isEqualTo(201);
        assertThat(fulcrum.post("/v1/auto-scaling-groups", """
                {"name": "asg", "launchTemplateName": "demo", "minSize": 0, "maxSize": 4, "desiredCapacity": %d,
                 "zones": ["zone-a", "zone-b"], "targetGroupNames": ["fleet"]}
                """.formatted(desired)).status()).isEqualTo(201);
        return fulcrum;
    }

    private static List<JsonNode> instances(AdminFixture fulcrum) throws Exception {
        List<JsonNode> list = new ArrayList<>();
        fulcrum.get("/v1/auto-scaling-groups/asg/instances").json().get("instances").forEach(list::add);
        return list;
    }

    private static JsonNode instance(AdminFixture fulcrum, String id) throws Exception {
        return instances(fulcrum).stream().filter(i -> i.get("instanceId").asText().equals(id)).findFirst().orElse(null);
    }

    private static Set<Integer> healthPorts(AdminFixture fulcrum) throws Exception {
        Set<Integer> ports = new HashSet<>();
        fulcrum.get("/v1/target-groups/fleet/health").json().get("targetHealthDescriptions")
                .forEach(description -> ports.add(description.at("/target/port").asInt()));
        return ports;
    }

    private static int storedDesired(AdminFixture fulcrum) {
        return fulcrum.controlPlane.current().config().autoScalingGroup("asg").desiredCapacity();
    }

    @Test
    void standbyProtectionAndTerminate() throws Exception {
        try (AdminFixture fulcrum = start(dataDirectory, 3)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> instances(fulcrum).stream()
                    .filter(i -> i.get("lifecycleState").asText().equals("InService")).count() == 3);
            List<JsonNode> three = instances(fulcrum);
            String a = three.get(0).get("instanceId").asText();
            int aPort = three.get(0).get("port").asInt();
            String b = three.get(1).get("instanceId").asText();
            await().atMost(Duration.ofSeconds(20)).until(() -> healthPorts(fulcrum).contains(aPort));

            // EnterStandby with a decrement: deregistered from the target group, desired 3 -> 2, stored
            AdminFixture.Response standby = fulcrum.post("/v1/auto-scaling-groups/asg/standby/enter",
                    "{\"instanceIds\": [\"%s\"], \"shouldDecrementDesiredCapacity\": true}".formatted(a));
            assertThat(standby.status()).isEqualTo(200);
            assertThat(standby.json().get("activities")).hasSize(1);
            assertThat(standby.json().at("/activities/0/description").asText()).contains("Standby").contains(a);
            assertThat(standby.json().at("/activities/0/cause").asText())
                    .contains("shrinking the capacity from 3 to 2");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(instance(fulcrum, a).get("lifecycleState").asText()).isEqualTo("Standby");
                assertThat(healthPorts(fulcrum)).doesNotContain(aPort);
            });
            assertThat(storedDesired(fulcrum)).isEqualTo(2);
            assertThat(fulcrum.get("/v1/auto-scaling-groups/asg").json().get("liveDesiredCapacity").asInt()).isEqualTo(2);
            AdminFixture.Response notInService = fulcrum.post("/v1/auto-scaling-groups/asg/standby/enter",
                    "{\"instanceIds\": [\"%s\"], \"shouldDecrementDesiredCapacity\": false}".formatted(a));
            assertThat(notInService.status()).isEqualTo(400);
            assertThat(notInService.code()).isEqualTo("ValidationError");

            // ExitStandby: back in the capacity (2 -> 3) and in the target group
            AdminFixture.Response exit = fulcrum.post("/v1/auto-scaling-groups/asg/standby/exit",
                    "{\"instanceIds\": [\"%s\"]}".formatted(a));
            assertThat(exit.status()).isEqualTo(200);
            assertThat(exit.json().at("/activities/0/description").asText()).contains("out of Standby");
            assertThat(storedDesired(fulcrum)).isEqualTo(3);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(instance(fulcrum, a).get("lifecycleState").asText()).isEqualTo("InService");
                assertThat(healthPorts(fulcrum)).contains(aPort);
            });

            // SetInstanceProtection: scale-in to 1 keeps the protected instance
            AdminFixture.Response protect = fulcrum.post("/v1/auto-scaling-groups/asg/instance-protection",
                    "{\"instanceIds\": [\"%s\"], \"protectedFromScaleIn\": true}".formatted(b));
            assertThat(protect.status()).isEqualTo(200);
            assertThat(instance(fulcrum, b).get("protectedFromScaleIn").asBoolean()).isTrue();
            assertThat(fulcrum.post("/v1/auto-scaling-groups/asg/desired-capacity", "{\"desiredCapacity\": 1}").status())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(instances(fulcrum)).extracting(i -> i.get("instanceId").asText()).containsExactly(b));

            // TerminateInstanceInAutoScalingGroup with a decrement: 1 -> 0, stored, not replaced
            AdminFixture.Response terminated = fulcrum.post("/v1/auto-scaling-groups/asg/instances/" + b + "/terminate",
                    "{\"shouldDecrementDesiredCapacity\": true}");
            assertThat(terminated.status()).isEqualTo(200);
            assertThat(terminated.json().get("description").asText()).isEqualTo("Terminating EC2 instance: " + b);
            assertThat(terminated.json().get("cause").asText()).contains("shrinking the capacity from 1 to 0");
            assertThat(storedDesired(fulcrum)).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> instances(fulcrum).isEmpty());
            assertThat(fulcrum.get("/v1/auto-scaling-groups/asg").json().get("liveDesiredCapacity").asInt()).isZero();

            // error codes
            AdminFixture.Response unknownInstance = fulcrum.post("/v1/auto-scaling-groups/asg/instances/i-0000/terminate",
                    "{\"shouldDecrementDesiredCapacity\": false}");
            assertThat(unknownInstance.status()).isEqualTo(404);
            assertThat(unknownInstance.code()).isEqualTo("InvalidInstanceID.NotFound");
            AdminFixture.Response unknownInList = fulcrum.post("/v1/auto-scaling-groups/asg/instance-protection",
                    "{\"instanceIds\": [\"i-0000\"], \"protectedFromScaleIn\": true}");
            assertThat(unknownInList.status()).isEqualTo(404);
            AdminFixture.Response missing = fulcrum.post("/v1/auto-scaling-groups/asg/instances/" + b + "/terminate", "{}");
            assertThat(missing.status()).isEqualTo(400);
            assertThat(paths(missing)).containsExactly("shouldDecrementDesiredCapacity");
            AdminFixture.Response empty = fulcrum.post("/v1/auto-scaling-groups/asg/standby/exit", "{\"instanceIds\": []}");
            assertThat(empty.status()).isEqualTo(400);
            assertThat(paths(empty)).containsExactly("instanceIds");
            AdminFixture.Response noGroup = fulcrum.post("/v1/auto-scaling-groups/nope/standby/exit",
                    "{\"instanceIds\": [\"i-1\"]}");
            assertThat(noGroup.status()).isEqualTo(404);
            assertThat(noGroup.code()).isEqualTo("AutoScalingGroupNotFound");
        }
    }

    @Test
    void suspendedProcessesCooldownAndInstanceRefreshes() throws Exception {
        try (AdminFixture fulcrum = start(dataDirectory, 0)) {
            AdminFixture.Response suspended = fulcrum.post("/v1/auto-scaling-groups/asg/suspend-processes",
                    "{\"scalingProcesses\": [\"Launch\"]}");
            assertThat(suspended.status()).isEqualTo(200);
            assertThat(suspended.json().get("suspendedProcesses").toString()).isEqualTo("[{\"processName\":\"Launch\"}]");
            assertThat(fulcrum.get("/v1/auto-scaling-groups/asg").json().get("suspendedProcesses").toString())
                    .isEqualTo("[{\"processName\":\"Launch\"}]");
            // SetDesiredCapacity evaluates the group before it answers: with Launch suspended nothing starts
            assertThat(fulcrum.post("/v1/auto-scaling-groups/asg/desired-capacity", "{\"desiredCapacity\": 1}").status())
                    .isEqualTo(200);
            assertThat(fulcrum.get("/v1/auto-scaling-groups/asg/activities").json().get("activities")).isEmpty();
            assertThat(instances(fulcrum)).isEmpty();

            AdminFixture.Response typo = fulcrum.post("/v1/auto-scaling-groups/asg/resume-processes",
                    "{\"scalingProcesses\": [\"Lanch\", \"Terminate\"]}");
            assertThat(typo.status()).isEqualTo(400);
            assertThat(paths(typo)).containsExactly("scalingProcesses[0]");
            assertThat(typo.json().at("/error/problems/0/message").asText()).contains("did you mean 'Launch'?");

            // an empty body resumes every process: the group launches its instance
            AdminFixture.Response resumed = fulcrum.post("/v1/auto-scaling-groups/asg/resume-processes", "");
            assertThat(resumed.status()).isEqualTo(200);
            assertThat(resumed.json().get("suspendedProcesses")).isEmpty();
            await().atMost(Duration.ofSeconds(60)).until(() -> instances(fulcrum).size() == 1
                    && instances(fulcrum).get(0).get("lifecycleState").asText().equals("InService"));

            // the launch just ended: within the default cooldown (300s), honorCooldown refuses
            AdminFixture.Response cooling = fulcrum.post("/v1/auto-scaling-groups/asg/desired-capacity",
                    "{\"desiredCapacity\": 2, \"honorCooldown\": true}");
            assertThat(cooling.status()).isEqualTo(409);
            assertThat(cooling.code()).isEqualTo("ScalingActivityInProgress");
            assertThat(storedDesired(fulcrum)).isEqualTo(1);

            // instance refreshes; with InstanceRefresh suspended a started one stays active
            AdminFixture.Response none = fulcrum.post("/v1/auto-scaling-groups/asg/instance-refreshes/cancel", "");
            assertThat(none.status()).isEqualTo(400);
            assertThat(none.code()).isEqualTo("ActiveInstanceRefreshNotFound");
            AdminFixture.Response badPreferences = fulcrum.post("/v1/auto-scaling-groups/asg/instance-refreshes",
                    "{\"preferences\": {\"minHealthyPercentage\": 120, \"instanceWarmup\": \"soon\"}}");
            assertThat(badPreferences.status()).isEqualTo(400);
            assertThat(paths(badPreferences)).containsExactlyInAnyOrder("preferences.minHealthyPercentage",
                    "preferences.instanceWarmup");
            assertThat(fulcrum.post("/v1/auto-scaling-groups/asg/suspend-processes",
                    "{\"scalingProcesses\": [\"InstanceRefresh\"]}").status()).isEqualTo(200);
            AdminFixture.Response started = fulcrum.post("/v1/auto-scaling-groups/asg/instance-refreshes",
                    "{\"preferences\": {\"minHealthyPercentage\": 50, \"instanceWarmup\": 1, \"autoRollback\": true}}");
            assertThat(started.status()).isEqualTo(201);
            String id = started.json().get("instanceRefreshId").asText();
            assertThat(id).isNotEmpty();
            assertThat(started.json().get("status").asText()).isIn("Pending", "InProgress");
            assertThat(started.json().at("/preferences/minHealthyPercentage").asInt()).isEqualTo(50);
            assertThat(started.json().at("/preferences/instanceWarmup").asInt()).isEqualTo(1);
            assertThat(started.json().at("/preferences/autoRollback").asBoolean()).isTrue();
            assertThat(started.json().at("/desiredConfiguration/launchTemplate/launchTemplateName").asText()).isEqualTo("demo");

            JsonNode listed = fulcrum.get("/v1/auto-scaling-groups/asg/instance-refreshes").json().get("instanceRefreshes");
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).get("instanceRefreshId").asText()).isEqualTo(id);
            assertThat(listed.get(0).get("percentageComplete").asInt()).isBetween(0, 100);

            AdminFixture.Response again = fulcrum.post("/v1/auto-scaling-groups/asg/instance-refreshes", "");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.code()).isEqualTo("InstanceRefreshInProgress");
            AdminFixture.Response cancelled = fulcrum.post("/v1/auto-scaling-groups/asg/instance-refreshes/cancel", "");
            assertThat(cancelled.status()).isEqualTo(200);
            assertThat(cancelled.json().get("status").asText()).isEqualTo("Cancelled");
            AdminFixture.Response rollback = fulcrum.post("/v1/auto-scaling-groups/asg/instance-refreshes/rollback", "");
            assertThat(rollback.status()).isEqualTo(400);
            assertThat(rollback.code()).isEqualTo("ActiveInstanceRefreshNotFound");
            assertThat(fulcrum.get("/v1/auto-scaling-groups/nope/instance-refreshes").code())
                    .isEqualTo("AutoScalingGroupNotFound");
        }
    }
}
