package io.fulcrum.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.config.ConfigLoader;
import io.fulcrum.health.TargetState;
import io.fulcrum.proxy.Transport;
import io.fulcrum.server.FulcrumServer;
import io.fulcrum.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A flow ends after the listener's idle timeout without a datagram either way; the next one starts a new flow. */
class UdpIdleTimeoutTest {
    @Test
    void aFlowIdleForTheTimeoutEndsAndItsClientsNextDatagramStartsANewOne() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2024-01-01T00:00:00Z"));
        int port = UdpSetup.freePort();
        FulcrumServer server = new FulcrumServer(Transport.best(), 2, new byte[32], clock);
        try (UdpEchoBackend a = new UdpEchoBackend("a"); UdpClient client = new UdpClient(port)) {
            server.apply(ConfigLoader.parse(UdpSetup.listener(port).targets(a.address()).yaml())); // 120 s, NLB's
            await().atMost(Duration.ofSeconds(10)).until(() -> server.targetGroup("dns").targets().stream()
                    .allMatch(t -> t.health().state() == TargetState.HEALTHY));
            UdpListener listener = server.udpListeners().listeners().get("127.0.0.1:" + port);
            client.roundTrip("one");

            clock.advance(Duration.ofSeconds(100));
            client.roundTrip("two"); // activity: the flow's idle time starts again
            clock.advance(Duration.ofSeconds(119));
            listener.sweepNow();
            assertThat(listener.openFlows()).as("idle for 119 s of 120").isEqualTo(1);
            assertThat(listener.counters().idleTimeouts()).isZero();

            clock.advance(Duration.ofSeconds(1));
            listener.sweepNow();
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.openFlows() == 0);
            assertThat(listener.counters().idleTimeouts()).isEqualTo(1);
            assertThat(listener.counters().active()).isZero();
            assertThat(server.targetGroup("dns").targets().get(0).outstandingRequests()).as("the flow's slot").isZero();

            assertThat(client.roundTrip("three")).isEqualTo("a");
            assertThat(listener.counters().flows()).isEqualTo(2);
            assertThat(listener.openFlows()).isEqualTo(1);
            assertThat(a.sources()).as("the new flow has a socket of its own").hasSize(2);
        } finally {
            server.stop(Duration.ZERO);
        }
    }

    @Test
    void aShorterIdleTimeoutIsHonoured() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2024-01-01T00:00:00Z"));
        int port = UdpSetup.freePort();
        FulcrumServer server = new FulcrumServer(Transport.best(), 2, new byte[32], clock);
        try (UdpEchoBackend a = new UdpEchoBackend("a"); UdpClient client = new UdpClient(port)) {
            server.apply(ConfigLoader.parse(UdpSetup.listener(port).targets(a.address())
                    .listenerKey("idleTimeout: 5s").yaml()));
            await().atMost(Duration.ofSeconds(10)).until(() -> server.targetGroup("dns").targets().stream()
                    .allMatch(t -> t.health().state() == TargetState.HEALTHY));
            UdpListener listener = server.udpListeners().listeners().get("127.0.0.1:" + port);
            client.roundTrip("one");

            clock.advance(Duration.ofSeconds(5));
            listener.sweepNow();
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.openFlows() == 0);
            assertThat(listener.counters().idleTimeouts()).isEqualTo(1);
        } finally {
            server.stop(Duration.ZERO);
        }
    }
}
