package io.fulcrum.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.testing.RunningFulcrum;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Datagrams through a UDP listener: the round trip, one target per flow, flows spread over targets. */
class UdpRoundTripTest {
    @Test
    void aClientsDatagramsRoundTripThroughOneTargetAndComeBackFromTheListener() throws Exception {
        try (UdpEchoBackend a = new UdpEchoBackend("a"); UdpEchoBackend b = new UdpEchoBackend("b")) {
            int port = UdpSetup.freePort();
            try (RunningFulcrum fulcrum = RunningFulcrum.start(UdpSetup.listener(port)
                    .targets(a.address(), b.address()).yaml());
                 UdpClient client = new UdpClient(port)) {
                fulcrum.awaitAllHealthy("dns");
                Set<String> ids = new HashSet<>();
                for (int i = 0; i < 5; i++) {
                    ids.add(client.roundTrip("datagram " + i));
                }

                assertThat(ids).hasSize(1);
                UdpEchoBackend chosen = ids.contains("a") ? a : b;
                UdpEchoBackend other = chosen == a ? b : a;
                assertThat(chosen.datagrams()).isEqualTo(5);
                assertThat(chosen.sources()).as("one balancer socket per flow").hasSize(1);
                assertThat(other.datagrams()).isZero();
                UdpListener listener = fulcrum.server().udpListeners().listeners().get("127.0.0.1:" + port);
                assertThat(listener.openFlows()).isEqualTo(1);
                UdpCounters counters = listener.counters();
                assertThat(counters.flows()).isEqualTo(1);
                assertThat(counters.datagramsToTargets()).isEqualTo(5);
                assertThat(counters.datagramsToClients()).isEqualTo(5);
                assertThat(counters.bytesToTargets()).isEqualTo(5 * "datagram 0".length());
                assertThat(fulcrum.server().udpListeners().counters().flows()).isEqualTo(1);
                String scrape = fulcrum.server().metrics().scrape();
                assertThat(scrape).contains("fulcrum_udp_new_flow_count_total{listener=\"127.0.0.1:" + port
                        + "\",load_balancer=\"nlb\"} 1.0");
                assertThat(scrape).contains("fulcrum_udp_active_flow_count{listener=\"127.0.0.1:" + port
                        + "\",load_balancer=\"nlb\"} 1.0");
                String doc = java.nio.file.Files.readString(java.nio.file.Path.of("docs/metrics.md"));
                List<String> udpMetrics = scrape.lines().filter(line -> line.startsWith("# TYPE fulcrum_udp_"))
                        .map(line -> line.split(" ")[2]).toList();
                assertThat(udpMetrics).hasSize(7);
                for (String name : udpMetrics) {
                    assertThat(doc).as("docs/metrics.md lists " + name).contains("`" + name);
                }
            }
        }
    }

    @Test
    void flowsSpreadOverTheTargetsByHashAndEachFlowSticksToItsTarget() throws Exception {
        try (UdpEchoBackend a = new UdpEchoBackend("a"); UdpEchoBackend b = new UdpEchoBackend("b")) {
            int port = UdpSetup.freePort();
            List<UdpClient> clients = new ArrayList<>();
            try (RunningFulcrum fulcrum = RunningFulcrum.start(UdpSetup.listener(port)
                    .targets(a.address(), b.address()).yaml())) {
                fulcrum.awaitAllHealthy("dns");
                Set<String> seen = new HashSet<>();
                // which target a flow gets depends on its source port, picked by the kernel: with 64 flows,
                // all on one of two targets would be a 1 in 2^63 chance
                while (seen.size() < 2 && clients.size() < 64) {
                    UdpClient client = new UdpClient(port);
                    clients.add(client);
                    String first = client.roundTrip("hello");
                    for (int i = 0; i < 3; i++) {
                        assertThat(client.roundTrip("again " + i)).as("the flow's target").isEqualTo(first);
                    }
                    seen.add(first);
                }

                assertThat(seen).containsExactlyInAnyOrder("a", "b");
                UdpListener listener = fulcrum.server().udpListeners().listeners().get("127.0.0.1:" + port);
                assertThat(listener.openFlows()).isEqualTo(clients.size());
                assertThat(a.sources().size() + b.sources().size()).isEqualTo(clients.size());
                assertThat(fulcrum.server().targetGroup("dns").spec().attributes().algorithm())
                        .isEqualTo(io.fulcrum.model.Algorithm.FLOW_HASH);
            } finally {
                clients.forEach(UdpClient::close);
            }
        }
    }

    @Test
    void beyondMaxConnectionsDatagramsOfNewFlowsAreDroppedAndCounted() throws Exception {
        try (UdpEchoBackend a = new UdpEchoBackend("a")) {
            int port = UdpSetup.freePort();
            try (RunningFulcrum fulcrum = RunningFulcrum.start(UdpSetup.listener(port).targets(a.address())
                    .listenerKey("maxConnections: 1").yaml());
                 UdpClient first = new UdpClient(port);
                 UdpClient second = new UdpClient(port)) {
                fulcrum.awaitAllHealthy("dns");
                first.roundTrip("in");
                second.send("refused");

                UdpListener listener = fulcrum.server().udpListeners().listeners().get("127.0.0.1:" + port);
                await().atMost(Duration.ofSeconds(10)).until(() -> listener.counters().refused() == 1);
                assertThat(first.roundTrip("still served")).isEqualTo("a");
                assertThat(listener.openFlows()).isEqualTo(1);
                assertThat(a.datagrams()).isEqualTo(2);
            }
        }
    }
}
