package io.fulcrum.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.HealthCheckType;
import io.fulcrum.scaling.launcher.Instances;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AZRebalance: a zone added on reload gets an instance launched first, then the fullest zone gives one up. */
class AutoScalingZoneBalanceTest {
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

    @TempDir
    Path dir;

    @Test
    void aNewZoneIsBalancedByLaunchingThenTerminating() throws Exception {
        AutoScalingGroup spec = GroupFixture.spec(1, 4, 3, HealthCheckType.EC2, Duration.ofMinutes(5));
        try (GroupFixture f = GroupFixture.start(dir, spec, "{deregistrationDelay: 1s}")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 3);
            assertThat(f.inService()).extracting(InstanceDescription::zone)
                    .containsExactlyInAnyOrder("zone-a", "zone-a", "zone-b");
            String oldestInA = f.inService().stream().filter(i -> i.zone().equals("zone-a")).findFirst().orElseThrow()
                    .instanceId();

            AutoScalingGroup wider = new AutoScalingGroup(spec.name(), spec.launchTemplateName(), 1, 4, 3,
                    List.of("zone-a", "zone-b", "zone-c"), spec.targetGroupNames(), spec.healthCheckType(),
                    spec.healthCheckGracePeriod());
            f.group.update(wider, Instances.demoBackend("--zone", "${ZONE}"));
            await().atMost(Duration.ofSeconds(30)).until(() -> f.group.instances().size() == 3
                    && f.inService().stream().map(InstanceDescription::zone).distinct().count() == 3);
            assertThat(f.group.instances()).extracting(InstanceDescription::instanceId).doesNotContain(oldestInA);

            List<ScalingActivity> activities = f.group.activities();
            assertThat(activities.get(1).description()).startsWith("Launching a new EC2 instance: ");
            assertThat(activities.get(1).cause()).matches("At " + TIME
                    + " an instance was launched to aid in balancing the group's zones\\.");
            assertThat(activities.get(0).description()).isEqualTo("Terminating EC2 instance: " + oldestInA);
            assertThat(activities.get(0).cause()).matches("At " + TIME + " instances were launched to balance instances"
                    + " in zones zone-a zone-b zone-c with other zones resulting in more than desired number of instances"
                    + " in the group\\.  At " + TIME + " an instance was taken out of service in response to a difference"
                    + " between desired and actual capacity, shrinking the capacity from 4 to 3\\.  At " + TIME
                    + " instance " + oldestInA + " was selected for termination\\.");
            assertThat(activities).hasSize(5).allMatch(a -> a.status() == ActivityStatus.SUCCESSFUL);
        }
    }
}
