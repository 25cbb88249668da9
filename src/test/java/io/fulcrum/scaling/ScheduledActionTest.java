package io.fulcrum.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.HealthCheckType;
import io.fulcrum.model.ScheduledAction;
import io.fulcrum.scaling.launcher.Instances;
import io.fulcrum.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scheduled actions in a time zone, on the group's clock, with real instances; suspended, a run is skipped. */
class ScheduledActionTest {
    @TempDir
    Path dir;

    @Test
    void businessHoursInParis() throws Exception {
        // Friday 2026-01-02, 08:59 in Paris
        SettableClock clock = new SettableClock(Instant.parse("2026-01-02T07:59:00Z"));
        List<ScheduledAction> actions = List.of(
                new ScheduledAction("morning", "0 9 * * MON-FRI", "Europe/Paris", null, null, 2, null, 2),
                new ScheduledAction("evening", "0 18 * * MON-FRI", "Europe/Paris", null, null, 1, null, 1));
        AutoScalingGroup spec = new AutoScalingGroup("web-asg", "demo", 1, 3, 1, List.of("zone-a", "zone-b"),
                List.of("web"), HealthCheckType.EC2, Duration.ofMinutes(5), List.of(), null, null, null, List.of(),
                false, actions);
        try (GroupFixture f = GroupFixture.start(dir, spec, Instances.demoBackend("--zone", "${ZONE}"),
                "{deregistrationDelay: 1s}", clock, GroupFixture.SETTINGS)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 1);
            assertThat(f.group.describe().minSize()).isEqualTo(1);

            clock.advance(Duration.ofMinutes(1)); // 09:00 in Paris
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 2);
            assertThat(f.group.describe().minSize()).isEqualTo(2);
            assertThat(f.group.activities().get(0).cause()).isEqualTo("At 2026-01-02T08:00:00Z a scheduled action update"
                    + " of AutoScalingGroup constraints to min: 2, max: 3, desired: 2 changing the desired capacity from 1"
                    + " to 2.  At 2026-01-02T08:00:00Z an instance was started in response to a difference between"
                    + " desired and actual capacity, increasing the capacity from 1 to 2.");

            clock.advance(Duration.ofHours(9)); // 18:00 in Paris
            await().atMost(Duration.ofSeconds(30)).until(() -> f.group.instances().size() == 1);
            assertThat(f.group.describe().minSize()).isEqualTo(1);
            assertThat(f.group.describe().desiredCapacity()).isEqualTo(1);

            // suspended over the weekend and Monday morning: Monday 09:00 is skipped, not run late
            f.group.suspendProcesses(Set.of(ProcessType.ScheduledActions));
            clock.advance(Duration.ofDays(3)); // Monday 18:00 in Paris
            // an operation reconciles on the controller thread before it returns: the due runs are seen now
            f.group.setInstanceProtection(List.of(f.group.instances().get(0).instanceId()), false);
            assertThat(f.group.describe().desiredCapacity()).isEqualTo(1);
            f.group.resumeProcesses(Set.of(ProcessType.ScheduledActions));
            clock.advance(Duration.ofHours(15)); // Tuesday 09:00 in Paris
            await().atMost(Duration.ofSeconds(30)).until(() -> f.group.describe().desiredCapacity() == 2);
        }
    }
}
