package io.fulcrum.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.testing.RunningFulcrum;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Reloads: a removed UDP listener lets go of its port and its flows; a kept one keeps its flows. */
class UdpReloadTest {
    @Test
    void removingTheListenerClosesItsSocketAndEndsItsFlows() throws Exception {
        try (UdpEchoBackend a = new UdpEchoBackend("a")) {
            int port = UdpSetup.freePort();
            try (RunningFulcrum fulcrum = RunningFulcrum.start(UdpSetup.listener(port).targets(a.address()).yaml());
                 UdpClient client = new UdpClient(port)) {
                fulcrum.awaitAllHealthy("dns");
                client.roundTrip("before");
                UdpListener listener = fulcrum.server().udpListeners().listeners().get("127.0.0.1:" + port);
                assertThat(listener.openFlows()).isEqualTo(1);

                fulcrum.apply("""
                        targetGroups:
                          - {name: dns, protocol: UDP, targets: ["%s"], healthCheck: {enabled: false}}
                        """.formatted(a.address()));

                assertThat(fulcrum.server().udpListeners().listeners()).isEmpty();
                assertThat(listener.isOpen()).isFalse();
                assertThat(listener.openFlows()).isZero();
                assertThat(listener.counters().active()).isZero();
                try (DatagramSocket again = new DatagramSocket(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                    assertThat(again.getLocalPort()).as("the port is free again").isEqualTo(port);
                }
                assertThat(fulcrum.server().targetGroup("dns").targets().get(0).outstandingRequests()).isZero();
            }
        }
    }

    @Test
    void aReloadKeepsTheListenerAndAFlowWhoseTargetIsRemovedMovesAfterTheDrain() throws Exception {
        try (UdpEchoBackend a = new UdpEchoBackend("a"); UdpEchoBackend b = new UdpEchoBackend("b")) {
            int port = UdpSetup.freePort();
            UdpSetup setup = UdpSetup.listener(port).attributes("{deregistrationDelay: 0s}");
            try (RunningFulcrum fulcrum = RunningFulcrum.start(setup.targets(a.address()).yaml());
                 UdpClient client = new UdpClient(port)) {
                fulcrum.awaitAllHealthy("dns");
                assertThat(client.roundTrip("on a")).isEqualTo("a");
                UdpListener listener = fulcrum.server().udpListeners().listeners().get("127.0.0.1:" + port);

                fulcrum.apply(setup.targets(a.address(), b.address()).yaml());
                fulcrum.awaitAllHealthy("dns");
                assertThat(fulcrum.server().udpListeners().listeners().get("127.0.0.1:" + port)).isSameAs(listener);
                for (int i = 0; i < 5; i++) {
                    assertThat(client.roundTrip("still on a " + i)).as("an open flow keeps its target").isEqualTo("a");
                }

                fulcrum.apply(setup.targets(b.address()).yaml());
                await().atMost(Duration.ofSeconds(10)).until(() -> listener.openFlows() == 0); // drained: closed
                assertThat(client.roundTrip("now on b")).isEqualTo("b");
                assertThat(listener.counters().flows()).isEqualTo(2);
            }
        }
    }
}
