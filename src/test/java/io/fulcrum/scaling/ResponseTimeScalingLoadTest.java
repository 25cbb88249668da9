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
import io.fulcrum.model.TargetTrackingConfiguration;
import io.fulcrum.scaling.launcher.Instances;
import io.fulcrum.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ALBTargetResponseTime end to end: real demo backends launched by the group, real requests through
 * the real balancer, the backends' {@code ?delay=ms} making answers slow. Warm-up, policy intervals and
 * the stabilisation window run on a clock the test moves one policy interval at a time, waiting for
 * each evaluation, so the assertions are on decisions: a slow answer takes at least its delay, which
 * is far above the target; a fast one on loopback is far below it.
 */
class ResponseTimeScalingLoadTest {
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Duration WARMUP = Duration.ofSeconds(30);
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final AutoScalingSettings SETTINGS = new AutoScalingSettings(Duration.ofMillis(50),
            Duration.ofMillis(200), Duration.ofSeconds(2), 100, INTERVAL);

    @TempDir
    Path dir;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private static AutoScalingGroup group(int max, ScalingPolicy policy) {
        return new AutoScalingGroup("web-asg", "demo", 1, max, 1, List.of("zone-a", "zone-b"), List.of("web"),
                HealthCheckType.ELB, Duration.ofMinutes(5), List.of(policy), WARMUP, WINDOW);
    }

    private static GroupFixture start(Path dir, AutoScalingGroup spec, SettableClock clock) throws Exception {
        return GroupFixture.start(dir, spec, Instances.demoBackend("--zone", "${ZONE}"), "{deregistrationDelay: 1s}",
                clock, SETTINGS);
    }

    @Test
    void targetTrackingScalesOutOnSlowAnswersHoldsWithoutTrafficAndScalesInOnFastOnes() throws Exception {
        ScalingPolicy policy = new ScalingPolicy("keep-latency", ScalingPolicyType.TargetTrackingScaling,
                new TargetTrackingConfiguration(PredefinedMetric.ALBTargetResponseTime, 0.3, false));
        try (GroupFixture f = start(dir, group(3, policy), clock)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 1);
            evaluate(f, WARMUP.plusSeconds(1)); // the first instance has warmed up: a baseline

            // slow: each answer takes at least 800 ms, over 2.6 times the target of 300 ms, so
            // ceil(1 x 0.8 / 0.3) = 3 instances are asked for at once, not one more
            for (int i = 0; i < 3; i++) {
                assertThat(f.get("/?delay=800").statusCode()).isEqualTo(200);
            }
            PolicyStatus slow = evaluate(f, INTERVAL);
            assertThat(slow.lastMetric()).isGreaterThanOrEqualTo(0.8);
            assertThat(f.group.describe().desiredCapacity()).isEqualTo(3);
            assertThat(f.group.activities().get(0).cause()).matches("At " + TIME + " a monitor alarm"
                    + " TargetTracking-web-asg-AlarmHigh-" + UUID + " in state ALARM triggered policy keep-latency"
                    + " changing the desired capacity from 1 to 3\\.  At " + TIME + " an instance was started in"
                    + " response to a difference between desired and actual capacity, increasing the capacity from 1"
                    + " to 3\\.");

            await().atMost(Duration.ofSeconds(60)).until(() -> f.inService().size() == 3);
            evaluate(f, WARMUP.plusSeconds(1)); // all warmed up

            // no traffic for longer than the stabilisation window: no datapoint, so no scale-in (as
            // CloudWatch's missing data), where ALBRequestCountPerTarget would read 0 and scale in
            for (int i = 0; i < 2 * WINDOW.dividedBy(INTERVAL); i++) {
                PolicyStatus idle = evaluate(f, INTERVAL);
                assertThat(idle.lastMetric()).as("idle evaluation %d", i).isNaN();
                assertThat(f.group.describe().desiredCapacity()).as("idle evaluation %d", i).isEqualTo(3);
            }

            // fast: the instances answer directly first so a cold JVM's first answers do not count, then
            // every interval carries answers far below the target; one instance goes per whole window
            for (InstanceDescription instance : f.inService()) {
                for (int i = 0; i < 5; i++) {
                    assertThat(f.direct(instance, "/").statusCode()).isEqualTo(200);
                }
            }
            Instant lowFrom = null;
            Instant lastChange = null;
            int desired = 3;
            for (int i = 0; i < 60 && desired > 1; i++) {
                for (int r = 0; r < 10; r++) {
                    assertThat(f.get("/").statusCode()).isEqualTo(200);
                }
                PolicyStatus fast = evaluate(f, INTERVAL);
                assertThat(fast.lastMetric()).isNotNaN();
                if (lowFrom == null) {
                    lowFrom = fast.evaluatedAt();
                    lastChange = lowFrom;
                }
                int now = f.group.describe().desiredCapacity();
                if (now != desired) {
                    assertThat(now).as("one instance at a time").isEqualTo(desired - 1);
                    assertThat(Duration.between(lastChange, fast.evaluatedAt())).as("stabilisation before scale-in")
                            .isGreaterThanOrEqualTo(WINDOW);
                    desired = now;
                    lastChange = fast.evaluatedAt();
                }
            }
            assertThat(desired).isEqualTo(1);
            assertThat(f.group.activities().stream().filter(a -> a.description().startsWith("Terminating"))
                    .map(ScalingActivity::cause).toList()).anySatisfy(cause -> assertThat(cause).startsWith("At ")
                    .contains(" a monitor alarm TargetTracking-web-asg-AlarmLow-")
                    .contains(" triggered policy keep-latency changing the desired capacity from 3 to 2."));
            await().atMost(Duration.ofSeconds(30)).until(() -> f.group.instances().size() == 1);
        }
    }

    @Test
    void aSimplePolicyAlarmsOnSlowAnswersOnly() throws Exception {
        ScalingPolicy policy = new ScalingPolicy("slow-out", ScalingPolicyType.SimpleScaling, null,
                new PolicyAlarm(PredefinedMetric.ALBTargetResponseTime, ComparisonOperator.GreaterThanThreshold, 0.5, 1),
                AdjustmentType.ChangeInCapacity, List.of(), 1, null, Duration.ZERO);
        try (GroupFixture f = start(dir, group(2, policy), clock)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 1);
            evaluate(f, WARMUP.plusSeconds(1));
            for (int i = 0; i < 5; i++) {
                assertThat(f.direct(f.inService().get(0), "/").statusCode()).isEqualTo(200);
            }

            for (int i = 0; i < 10; i++) {
                assertThat(f.get("/").statusCode()).isEqualTo(200);
            }
            PolicyStatus fast = evaluate(f, INTERVAL);
            assertThat(fast.lastMetric()).isLessThan(0.5);
            assertThat(fast.inAlarm()).isFalse();
            assertThat(f.group.describe().desiredCapacity()).isEqualTo(1);

            PolicyStatus idle = evaluate(f, INTERVAL);
            assertThat(idle.lastMetric()).isNaN();
            assertThat(idle.inAlarm()).isFalse();

            assertThat(f.get("/?delay=900").statusCode()).isEqualTo(200);
            PolicyStatus slow = evaluate(f, INTERVAL);
            assertThat(slow.lastMetric()).isGreaterThanOrEqualTo(0.9);
            assertThat(slow.inAlarm()).isTrue();
            assertThat(f.group.describe().desiredCapacity()).isEqualTo(2);
            assertThat(f.group.activities().get(0).cause()).matches("At " + TIME + " a monitor alarm Fulcrum-web-asg-slow-out"
                    + " in state ALARM triggered policy slow-out changing the desired capacity from 1 to 2\\.  At " + TIME
                    + " an instance was started in response to a difference between desired and actual capacity,"
                    + " increasing the capacity from 1 to 2\\.");
        }
    }

    /** Moves the clock on and waits for the group's policies to be evaluated at that instant. */
    private PolicyStatus evaluate(GroupFixture f, Duration step) {
        clock.advance(step);
        Instant at = clock.instant();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                .until(() -> at.equals(f.group.describe().policies().get(0).evaluatedAt()));
        return f.group.describe().policies().get(0);
    }
}
