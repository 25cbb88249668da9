package io.fulcrum.endtoend;

import static io.fulcrum.testing.TestConfigs.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.config.ConfigLoader;
import io.fulcrum.health.TargetState;
import io.fulcrum.proxy.LiveTarget;
import io.fulcrum.proxy.Transport;
import io.fulcrum.server.FulcrumServer;
import io.fulcrum.testing.RawHttp;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.SettableClock;
import io.fulcrum.testing.TestBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Slow start wired end to end: the ramp itself is unit-tested in {@code io.fulcrum.balancing}; this checks
 * that the server's clock drives it for a target added by a reload. The clock is the test's, so time only
 * moves when the test says.
 */
class SlowStartEndToEndTest {
    @Test
    void aTargetAddedByAReloadRampsUpFromATenthToAnEvenShare() throws Exception {
        RawHttp.noDelayBackends();
        SettableClock clock = new SettableClock(Instant.parse("2030-01-01T00:00:00Z"));
        FulcrumServer server = new FulcrumServer(Transport.best(), 2, new byte[32], clock);
        try (TestBackend old = new TestBackend("old"); TestBackend fresh = new TestBackend("fresh")) {
            int port = RunningFulcrum.freePort();
            String attributes = "{slowStart: 30s}";
            server.apply(ConfigLoader.parse(web(port).targets(old.address()).attributes(attributes).yaml()));
            awaitHealthy(server, old.address());
            clock.advance(Duration.ofMinutes(5)); // old's own ramp is long over

            server.apply(ConfigLoader.parse(web(port).targets(old.address(), fresh.address())
                    .attributes(attributes).yaml()));
            awaitHealthy(server, fresh.address());
            // the clock stands at the moment fresh turned healthy: weight 0.1 against 1, 1/11 of the picks
            Map<String, Integer> start = RawHttp.count(port, "/", 110);
            assertThat(start.getOrDefault("fresh", 0)).isBetween(7, 13);

            clock.advance(Duration.ofSeconds(15)); // half way: 0.55 against 1
            Map<String, Integer> half = RawHttp.count(port, "/", 155);
            assertThat(half.getOrDefault("fresh", 0)).isBetween(50, 60);

            clock.advance(Duration.ofSeconds(15)); // the ramp is over
            assertThat(RawHttp.count(port, "/", 100)).containsOnly(Map.entry("old", 50), Map.entry("fresh", 50));
        } finally {
            server.stop(Duration.ZERO);
        }
    }

    private static void awaitHealthy(FulcrumServer server, String address) {
        await().atMost(Duration.ofSeconds(15)).until(() -> server.targetGroup("web").targets().stream()
                .filter(t -> t.key().equals(address)).map(LiveTarget::health)
                .anyMatch(h -> h.state() == TargetState.HEALTHY));
    }
}
