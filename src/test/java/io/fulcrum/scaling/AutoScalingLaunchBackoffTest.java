package io.fulcrum.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.model.HealthCheckType;
import io.fulcrum.scaling.launcher.Instances;
import io.fulcrum.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A launch that keeps failing is retried with exponential back-off on the group's clock, never in a busy loop. */
class AutoScalingLaunchBackoffTest {
    @TempDir
    Path dir;

    @Test
    void failingLaunchIsRetriedWithBackoffAndRecordedAsFailed() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2026-11-25T15:04:05Z"));
        AutoScalingSettings settings = new AutoScalingSettings(Duration.ofMillis(20), Duration.ofSeconds(10),
                Duration.ofSeconds(40), 100);
        try (GroupFixture f = GroupFixture.start(dir, GroupFixture.spec(2, 2, 2, HealthCheckType.EC2, Duration.ZERO),
                Instances.shell("exit 3", Duration.ofSeconds(1)), "{}", clock, settings)) {
            // the first round launches both; each fails, then one probe at a time per back-off step
            await().atMost(Duration.ofSeconds(20)).until(() -> failed(f) == 2);
            await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> failed(f) == 2);
            clock.advance(Duration.ofSeconds(30)); // past the 20 s wait after the second failure in a row
            await().atMost(Duration.ofSeconds(20)).until(() -> failed(f) == 3);
            await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> failed(f) == 3);
            clock.advance(Duration.ofSeconds(30)); // 40 s (the maximum) after the third: not yet
            await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> failed(f) == 3);
            clock.advance(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(20)).until(() -> failed(f) == 4);

            assertThat(f.group.activities()).allSatisfy(a -> {
                assertThat(a.status()).isEqualTo(ActivityStatus.FAILED);
                assertThat(a.description()).isEqualTo("Launching a new EC2 instance");
                assertThat(a.statusMessage()).isNotBlank();
            });
            assertThat(f.group.instances()).isEmpty();
        }
    }

    private static long failed(GroupFixture f) {
        return f.group.activities().stream().filter(a -> a.status() == ActivityStatus.FAILED).count();
    }
}
