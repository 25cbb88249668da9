package io.fulcrum.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.health.TargetState;
import io.fulcrum.testing.RunningFulcrum;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL-style session: one connection, a query, a quiet spell through health-check rounds and a
 * config reload, another query on the same connection; and the idle timeout that ends a silent one.
 */
class TcpLongLivedConnectionTest {
    @Test
    void aSessionOutlivesHealthCheckRoundsAndAReloadOnItsTarget() throws Exception {
        try (EchoBackend a = new EchoBackend(); EchoBackend b = new EchoBackend()) {
            int port = RunningFulcrum.freePort();
            TcpSetup one = TcpSetup.listener(port).targets(a.address()).healthCheck(TcpSetup.FAST_TCP_CHECKS);
            try (RunningFulcrum fulcrum = RunningFulcrum.start(one.yaml())) {
                fulcrum.awaitAllHealthy("db");
                try (TcpClient session = new TcpClient(port)) {
                    session.roundTrip("SELECT now();");

                    fulcrum.apply(TcpSetup.listener(port).targets(a.address(), b.address())
                            .healthCheck(TcpSetup.FAST_TCP_CHECKS).yaml());
                    // the new target needs two passing checks: the session waits through those rounds
                    await().until(() -> fulcrum.server().targetGroup("db").targets().stream()
                            .allMatch(t -> t.health().state() == TargetState.HEALTHY));

                    session.roundTrip("SELECT 2;");
                    assertThat(a.bytesRead()).isEqualTo("SELECT now();".length() + "SELECT 2;".length());
                    assertThat(b.dataConnections()).isZero();
                    assertThat(fulcrum.server().tcpListeners().counters().idleTimeouts()).isZero();
                }
            }
        }
    }

    @Test
    void aSilentConnectionIsClosedAtTheListenersIdleTimeout() throws Exception {
        try (EchoBackend a = new EchoBackend()) {
            int port = RunningFulcrum.freePort();
            try (RunningFulcrum fulcrum = RunningFulcrum.start(TcpSetup.listener(port).targets(a.address())
                    .listenerKey("idleTimeout: 1s").yaml());
                 TcpClient client = new TcpClient(port)) {
                client.roundTrip("one query, then silence");

                assertThat(client.awaitClosed()).isTrue();
                TcpCounters counters = fulcrum.server().tcpListeners().counters();
                await().until(() -> counters.idleTimeouts() == 1);
                await().until(() -> a.openConnections() == 0); // the target's side is closed too
            }
        }
    }

    @Test
    void theDefaultIdleTimeoutIsNlbs350Seconds() throws Exception {
        int port = RunningFulcrum.freePort();
        try (RunningFulcrum fulcrum = RunningFulcrum.start(TcpSetup.listener(port).yaml())) {
            assertThat(fulcrum.server().tcpListeners().listeners().values().iterator().next().routing().listener()
                    .idleTimeout()).isEqualTo(java.time.Duration.ofSeconds(350));
        }
    }
}
