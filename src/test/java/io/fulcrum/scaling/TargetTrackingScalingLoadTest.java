package io.fulcrum.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.HealthCheckType;
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
 * Real demo backends behind the real balancer: a bounded burst of requests makes a group with a
 * target tracking policy on ALBRequestCountPerTarget scale out from 1 to 2, and quiet makes it scale
 * back in. Time for warm-up, policy intervals and the stabilisation window is a clock the test moves.
 */
class TargetTrackingScalingLoadTest {
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @TempDir
    Path dir;

    @Test
    void aBurstScalesOutAndQuietScalesBackIn() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
        ScalingPolicy policy = new ScalingPolicy("keep-rps", ScalingPolicyType.TargetTrackingScaling,
                new TargetTrackingConfiguration(PredefinedMetric.ALBRequestCountPerTarget, 20, false));
        AutoScalingGroup spec = new AutoScalingGroup("web-asg", "demo", 1, 2, 1, List.of("zone-a", "zone-b"),
                List.of("web"), HealthCheckType.ELB, Duration.ofMinutes(5), List.of(policy), Duration.ofSeconds(30),
                Duration.ofSeconds(60));
        AutoScalingSettings settings = new AutoScalingSettings(Duration.ofMillis(50), Duration.ofMillis(200),
                Duration.ofSeconds(2), 100, Duration.ofSeconds(5));
        try (GroupFixture f = GroupFixture.start(dir, spec, Instances.demoBackend("--zone", "${ZONE}"),
                "{deregistrationDelay: 1s}", clock, settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 1);
            clock.advance(Duration.ofSeconds(31)); // past the first instance's warm-up

            // 100 requests: whatever windows the evaluations cut them into (at most 36 s of the test's
            // clock each), one window holds at least 50, over 80 a minute, above the target of 20
            for (int i = 0; i < 100; i++) {
                assertThat(f.get("/").statusCode()).isEqualTo(200);
            }
            assertThat(f.fulcrum.server().requestCount("web")).isEqualTo(100);
            clock.advance(Duration.ofSeconds(5));

            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 2);
            assertThat(f.group.spec().desiredCapacity()).isEqualTo(2);
            ScalingActivity launch = f.group.activities().get(0);
            assertThat(launch.description()).startsWith("Launching a new EC2 instance: i-");
            assertThat(launch.cause()).matches("At " + TIME + " a monitor alarm TargetTracking-web-asg-AlarmHigh-" + UUID
                    + " in state ALARM triggered policy keep-rps changing the desired capacity from 1 to 2\\.  At " + TIME
                    + " an instance was started in response to a difference between desired and actual capacity,"
                    + " increasing the capacity from 1 to 2\\.");

            // no more requests: once the new instance has warmed up and the metric stayed low for the
            // window, one instance goes; each poll moves the clock one policy interval on
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                clock.advance(Duration.ofSeconds(5));
                return f.group.instances().size() == 1;
            });
            assertThat(f.group.spec().desiredCapacity()).isEqualTo(1);
            ScalingActivity termination = f.group.activities().stream()
                    .filter(a -> a.description().startsWith("Terminating")).findFirst().orElseThrow();
            assertThat(termination.status()).isEqualTo(ActivityStatus.SUCCESSFUL);
            assertThat(termination.cause()).matches("At " + TIME + " a monitor alarm TargetTracking-web-asg-AlarmLow-"
                    + UUID + " in state ALARM triggered policy keep-rps changing the desired capacity from 2 to 1\\.  At "
                    + TIME + " an instance was taken out of service in response to a difference between desired and"
                    + " actual capacity, shrinking the capacity from 2 to 1\\.  At " + TIME + " instance i-[0-9a-f]{17}"
                    + " was selected for termination\\.");
            assertThat(f.inService()).hasSize(1);
            // never below min: more quiet changes nothing
            for (int i = 0; i < 30; i++) {
                clock.advance(Duration.ofSeconds(5));
                Thread.sleep(60);
            }
            assertThat(f.group.spec().desiredCapacity()).isEqualTo(1);
        }
    }
}
