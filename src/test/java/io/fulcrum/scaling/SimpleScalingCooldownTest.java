package io.fulcrum.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.model.AdjustmentType;
import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.ComparisonOperator;
import io.fulcrum.model.HealthCheckType;
import io.fulcrum.model.PolicyAlarm;
import io.fulcrum.model.PredefinedMetric;
import io.fulcrum.model.ScalingPolicy;
import io.fulcrum.model.ScalingPolicyType;
import io.fulcrum.scaling.launcher.Instances;
import io.fulcrum.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A simple scaling policy on the balancer's request count acts on its alarm only once its cooldown is over. */
class SimpleScalingCooldownTest {
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void alarmWaitsForTheCooldownThenAddsOne() throws Exception {
        SettableClock clock = new SettableClock(T0);
        ScalingPolicy policy = new ScalingPolicy("add", ScalingPolicyType.SimpleScaling, null,
                new PolicyAlarm(PredefinedMetric.ALBRequestCountPerTarget, ComparisonOperator.GreaterThanOrEqualToThreshold,
                        1, 1), AdjustmentType.ChangeInCapacity, List.of(), 1, null, Duration.ofSeconds(60));
        AutoScalingGroup spec = new AutoScalingGroup("web-asg", "demo", 1, 3, 1, List.of("zone-a", "zone-b"),
                List.of("web"), HealthCheckType.ELB, Duration.ofMinutes(5), List.of(policy), Duration.ZERO,
                Duration.ofSeconds(60));
        AutoScalingSettings settings = new AutoScalingSettings(Duration.ofMillis(50), Duration.ofMillis(200),
                Duration.ofSeconds(2), 100, Duration.ofSeconds(5));
        try (GroupFixture f = GroupFixture.start(dir, spec, Instances.demoBackend("--zone", "${ZONE}"),
                "{deregistrationDelay: 1s}", clock, settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 1); // its launch ends at T0

            evaluateAt(f, clock, 5, 0); // a baseline
            evaluateAt(f, clock, 10, 5); // in ALARM, but within the 60 s cooldown of the launch
            PolicyStatus status = f.group.describe().policies().get(0);
            assertThat(status.inAlarm()).isTrue();
            assertThat(status.lastMetric()).isEqualTo(60.0); // 5 requests in 5 s on one instance
            assertThat(f.group.describe().desiredCapacity()).isEqualTo(1);

            evaluateAt(f, clock, 65, 5); // cooldown over: one more
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 2);
            assertThat(f.group.activities().get(0).cause()).matches("At " + TIME + " a monitor alarm Fulcrum-web-asg-add"
                    + " in state ALARM triggered policy add changing the desired capacity from 1 to 2\\.  At " + TIME
                    + " an instance was started in response to a difference between desired and actual capacity,"
                    + " increasing the capacity from 1 to 2\\.");

            evaluateAt(f, clock, 70, 5); // the new launch ended at 65: cooling down again
            assertThat(f.group.describe().policies().get(0).inAlarm()).isTrue();
            assertThat(f.group.describe().desiredCapacity()).isEqualTo(2);
        }
    }

    /** Sends requests, moves the clock to T0 + seconds and waits for the policy's evaluation there. */
    private static void evaluateAt(GroupFixture f, SettableClock clock, int seconds, int requests) throws Exception {
        for (int i = 0; i < requests; i++) {
            assertThat(f.get("/").statusCode()).isEqualTo(200);
        }
        clock.advance(Duration.between(clock.instant(), T0.plusSeconds(seconds)));
        await().atMost(Duration.ofSeconds(10)).until(() -> T0.plusSeconds(seconds)
                .equals(f.group.describe().policies().get(0).evaluatedAt()));
    }
}
