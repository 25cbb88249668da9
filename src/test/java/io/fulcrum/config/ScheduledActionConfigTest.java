package io.fulcrum.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fulcrum.model.InvalidConfigException;
import io.fulcrum.model.ScheduledAction;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scheduled actions of an auto scaling group: binding and problems with their paths. */
class ScheduledActionConfigTest {
    private static final String GROUP = """
            launchTemplates:
              - name: demo
                command: [sh, -c, "exit 0"]
            autoScalingGroups:
              - name: web-asg
                launchTemplateName: demo
                minSize: 1
                maxSize: 4
                zones: [zone-a]
                scheduledActions:
            %s
            """;

    @Test
    void binds() throws Exception {
        List<ScheduledAction> actions = ConfigLoader.parse(GROUP.formatted("""
                      - {name: morning, recurrence: "0 9 * * MON-FRI", timeZone: Europe/Paris, minSize: 2, desiredCapacity: 3}
                      - {name: launch-day, startTime: "2026-03-01T09:00:00Z", maxSize: 10}
                      - {name: bounded, recurrence: "*/30 * * * *", startTime: "2026-03-01T00:00:00Z", endTime: "2026-04-01T00:00:00Z", maxSize: 2}
                """)).autoScalingGroup("web-asg").scheduledActions();
        assertThat(actions).containsExactly(
                new ScheduledAction("morning", "0 9 * * MON-FRI", "Europe/Paris", null, null, 2, null, 3),
                new ScheduledAction("launch-day", null, null, Instant.parse("2026-03-01T09:00:00Z"), null, null, 10, null),
                new ScheduledAction("bounded", "*/30 * * * *", null, Instant.parse("2026-03-01T00:00:00Z"),
                        Instant.parse("2026-04-01T00:00:00Z"), null, 2, null));
    }

    @Test
    void problemsAreNamed() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> ConfigLoader.parse(GROUP.formatted("""
                      - {name: bad-cron, recurrence: "0 25 * * *", desiredCapacity: 1}
                      - {name: bad-zone, recurrence: "0 9 * * *", timeZone: Mars/Olympus, desiredCapacity: 1}
                      - {name: nothing, recurrence: "0 9 * * *"}
                      - {name: upside-down, recurrence: "0 9 * * *", minSize: 3, maxSize: 2}
                      - {name: never, desiredCapacity: 2}
                      - {name: never, startTime: "2026-03-01T09:00:00Z", endTime: "2026-02-01T09:00:00Z", desiredCapacity: 2}
                """)));
        assertThat(e).isNotNull();
        String p = "autoScalingGroups[0].scheduledActions";
        assertThat(e.problems().stream().map(x -> x.path() + ": " + x.message())).containsExactlyInAnyOrder(
                p + "[0].recurrence: hour \"25\": \"25\" (expected: 0-23)",
                p + "[1].timeZone: \"Mars/Olympus\" (expected: a time zone name like Europe/Paris or UTC)",
                p + "[2]: sets nothing (expected: at least one of minSize, maxSize, desiredCapacity)",
                p + "[3].maxSize: 2 (expected: at least minSize 3)",
                p + "[4]: neither recurrence nor startTime (expected: a cron recurrence like \"0 9 * * MON-FRI\", or a"
                        + " startTime for a one-time action)",
                p + "[5].name: \"never\" is already the name of another scheduled action of this group (expected: a unique name)",
                p + "[5].endTime: 2026-02-01T09:00:00Z (expected: after startTime 2026-03-01T09:00:00Z)");
    }
}
