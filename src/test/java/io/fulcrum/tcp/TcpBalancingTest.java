package io.fulcrum.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.health.TargetState;
import io.fulcrum.proxy.LiveTarget;
import io.fulcrum.testing.RunningFulcrum;
import org.junit.jupiter.api.Test;

/** Which target a TCP connection goes to: round robin, a dead target skipped by retry or by health checks. */
class TcpBalancingTest {
    @Test
    void connectionsAlternateBetweenTwoTargets() throws Exception {
        try (EchoBackend a = new EchoBackend(); EchoBackend b = new EchoBackend()) {
            int port = RunningFulcrum.freePort();
            try (RunningFulcrum fulcrum = RunningFulcrum.start(TcpSetup.listener(port)
                    .targets(a.address(), b.address()).attributes("{algorithm: round_robin}").yaml())) {
                fulcrum.awaitAllHealthy("db");
                for (int i = 0; i < 10; i++) {
                    try (TcpClient client = new TcpClient(port)) {
                        client.roundTrip("connection " + i);
                    }
                }
                assertThat(a.dataConnections()).isEqualTo(5);
                assertThat(b.dataConnections()).isEqualTo(5);
            }
        }
    }

    @Test
    void flowHashServesEveryConnection() throws Exception {
        try (EchoBackend a = new EchoBackend(); EchoBackend b = new EchoBackend()) {
            int port = RunningFulcrum.freePort();
            try (RunningFulcrum fulcrum = RunningFulcrum.start(TcpSetup.listener(port)
                    .targets(a.address(), b.address()).attributes("{algorithm: flow_hash}").yaml())) {
                fulcrum.awaitAllHealthy("db");
                for (int i = 0; i < 20; i++) {
                    try (TcpClient client = new TcpClient(port)) {
                        client.roundTrip("flow " + i);
                    }
                }
                // which target each flow gets depends on its source port, picked by the kernel
                assertThat(a.dataConnections() + b.dataConnections()).isEqualTo(20);
            }
        }
    }

    @Test
    void aRefusedConnectIsRetriedOnTheOtherTargetAndRepeatedRefusalsEjectTheTarget() throws Exception {
        int dead = RunningFulcrum.freePort(); // nothing listens there
        try (EchoBackend live = new EchoBackend()) {
            int port = RunningFulcrum.freePort();
            try (RunningFulcrum fulcrum = RunningFulcrum.start(TcpSetup.listener(port)
                    .targets("127.0.0.1:" + dead, live.address()).yaml())) {
                fulcrum.awaitAllHealthy("db");
                // round robin offers the dead target first to each connection until passive health
                // (5 consecutive failures) takes it out
                for (int i = 0; i < 7; i++) {
                    try (TcpClient client = new TcpClient(port)) {
                        client.roundTrip("still served " + i);
                    }
                }
                TcpCounters counters = fulcrum.server().tcpListeners().counters();
                assertThat(counters.connectFailures()).isEqualTo(5);
                assertThat(counters.noTarget()).isZero();
                assertThat(live.dataConnections()).isEqualTo(7);
                LiveTarget deadTarget = fulcrum.server().targetGroup("db").targets().get(0);
                assertThat(deadTarget.health().state()).isEqualTo(TargetState.UNHEALTHY);
            }
        }
    }

    @Test
    void aTargetFailingItsTcpHealthCheckGetsNoConnection() throws Exception {
        int dead = RunningFulcrum.freePort();
        try (EchoBackend live = new EchoBackend()) {
            int port = RunningFulcrum.freePort();
            try (RunningFulcrum fulcrum = RunningFulcrum.start(TcpSetup.listener(port)
                    .targets("127.0.0.1:" + dead, live.address()).healthCheck(TcpSetup.FAST_TCP_CHECKS).yaml())) {
                await().until(() -> fulcrum.server().targetGroup("db").targets().stream()
                        .map(t -> t.health().state()).toList()
                        .equals(java.util.List.of(TargetState.UNHEALTHY, TargetState.HEALTHY)));
                for (int i = 0; i < 4; i++) {
                    try (TcpClient client = new TcpClient(port)) {
                        client.roundTrip("only the live one " + i);
                    }
                }
                assertThat(fulcrum.server().tcpListeners().counters().connectFailures()).isZero();
                assertThat(live.dataConnections()).isEqualTo(4);
            }
        }
    }

    @Test
    void withBothTargetsDeadTheClientIsClosedAfterTwoAttempts() throws Exception {
        int port = RunningFulcrum.freePort();
        try (RunningFulcrum fulcrum = RunningFulcrum.start(TcpSetup.listener(port)
                .targets("127.0.0.1:" + RunningFulcrum.freePort(), "127.0.0.1:" + RunningFulcrum.freePort())
                .attributes("{passiveUnhealthyThreshold: 10}").yaml());
             TcpClient client = new TcpClient(port)) {
            assertThat(client.awaitClosed()).isTrue();
            TcpCounters counters = fulcrum.server().tcpListeners().counters();
            await().until(() -> counters.noTarget() == 1);
            assertThat(counters.connectFailures()).isEqualTo(2);
        }
    }
}
