package io.fulcrum.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fulcrum.model.HealthCheckType;
import io.fulcrum.scaling.launcher.Instances;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A group comes up to its desired capacity, balanced over zones, serves, and follows desired capacity changes. */
class AutoScalingGroupCapacityTest {
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

    @TempDir
    Path dir;

    @Test
    void comesUpToDesiredServesAndFollowsDesiredCapacity() throws Exception {
        List<Long> pids = new ArrayList<>();
        try (GroupFixture f = GroupFixture.start(dir, GroupFixture.spec(1, 3, 2, HealthCheckType.ELB, Duration.ofMinutes(5)),
                "{deregistrationDelay: 5s}")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 2);
            assertThat(f.inService()).extracting(InstanceDescription::zone).containsExactlyInAnyOrder("zone-a", "zone-b");
            f.group.instances().forEach(i -> pids.add(f.pid(i)));

            Set<String> answers = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                var response = f.get("/");
                assertThat(response.statusCode()).isEqualTo(200);
                answers.add(response.body().trim());
            }
            assertThat(answers).hasSize(2).allMatch(a -> a.matches("Hello from i-[0-9a-f]{17} in zone-[ab]"));

            List<ScalingActivity> launches = f.group.activities();
            assertThat(launches).hasSize(2).allSatisfy(a -> {
                assertThat(a.status()).isEqualTo(ActivityStatus.SUCCESSFUL);
                assertThat(a.description()).matches("Launching a new EC2 instance: i-[0-9a-f]{17}");
                assertThat(a.cause()).matches("At " + TIME + " an instance was started in response to a difference"
                        + " between desired and actual capacity, increasing the capacity from 0 to 2\\.");
                assertThat(a.endTime()).isNotNull();
            });

            assertThatThrownBy(() -> f.group.setDesiredCapacity(4)).isInstanceOf(AutoScalingException.class)
                    .hasMessage("desiredCapacity: 4 (expected: 1-3, between the group's minSize and maxSize)");
            assertThatThrownBy(() -> f.group.setDesiredCapacity(0)).isInstanceOf(AutoScalingException.class);

            f.group.setDesiredCapacity(3);
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 3);
            assertThat(f.group.activities().get(0).cause()).matches("At " + TIME + " a user request explicitly set"
                    + " group desired capacity changing the desired capacity from 2 to 3\\.  At " + TIME
                    + " an instance was started in response to a difference between desired and actual capacity,"
                    + " increasing the capacity from 2 to 3\\.");
            f.group.instances().forEach(i -> pids.add(f.pid(i)));

            f.group.setDesiredCapacity(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> f.group.instances().size() == 1);
            assertThat(f.inService()).hasSize(1);
            List<ScalingActivity> terminations = f.group.activities().stream()
                    .filter(a -> a.description().startsWith("Terminating")).toList();
            assertThat(terminations).hasSize(2).allSatisfy(a -> {
                assertThat(a.status()).isEqualTo(ActivityStatus.SUCCESSFUL);
                String id = a.description().substring("Terminating EC2 instance: ".length());
                assertThat(a.cause()).matches("At " + TIME + " a user request explicitly set group desired capacity"
                        + " changing the desired capacity from 3 to 1\\.  At " + TIME + " an instance was taken out of"
                        + " service in response to a difference between desired and actual capacity, shrinking the"
                        + " capacity from 3 to 1\\.  At " + TIME + " instance " + Pattern.quote(id)
                        + " was selected for termination\\.");
            });
            assertThat(f.fulcrum.server().targetGroup("web").targets()).hasSize(1);
        }
        assertThat(pids).hasSize(5).allMatch(Instances::gone);
    }
}
