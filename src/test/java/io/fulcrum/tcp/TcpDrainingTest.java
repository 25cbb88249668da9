package io.fulcrum.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.health.TargetState;
import io.fulcrum.model.Target;
import io.fulcrum.testing.RunningFulcrum;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A deregistered target keeps its open connections for the deregistration delay, gets no new ones, and then they are closed. */
class TcpDrainingTest {
    private static String config(int port, String delay) {
        return TcpSetup.listener(port).attributes("{deregistrationDelay: " + delay + "}").yaml();
    }

    @Test
    void anOpenConnectionKeepsWorkingAndTheDrainEndsWhenItCloses() throws Exception {
        try (EchoBackend a = new EchoBackend(); EchoBackend b = new EchoBackend()) {
            int port = RunningFulcrum.freePort();
            try (RunningFulcrum fulcrum = RunningFulcrum.start(config(port, "300s"))) {
                fulcrum.server().registerTarget("db", new Target("127.0.0.1", b.port(), 1));
                fulcrum.awaitAllHealthy("db");
                CompletableFuture<Void> drained;
                try (TcpClient onB = new TcpClient(port)) {
                    onB.roundTrip("before");
                    assertThat(b.dataConnections()).isEqualTo(1);
                    fulcrum.server().registerTarget("db", new Target("127.0.0.1", a.port(), 1));

                    drained = fulcrum.server().deregisterTarget("db", b.address());

                    onB.roundTrip("while draining");
                    assertThat(drained).isNotDone();
                    try (TcpClient onA = new TcpClient(port)) {
                        onA.roundTrip("new connections go elsewhere");
                    }
                    assertThat(a.dataConnections()).isEqualTo(1);
                    assertThat(b.dataConnections()).isEqualTo(1);
                    assertThat(b.bytesRead()).isEqualTo("before".length() + "while draining".length());
                }
                await().until(drained::isDone); // its last connection closed: nothing left to wait for
            }
        }
    }

    @Test
    void connectionsStillOpenAtTheEndOfTheDelayAreClosed() throws Exception {
        try (EchoBackend b = new EchoBackend()) {
            int port = RunningFulcrum.freePort();
            try (RunningFulcrum fulcrum = RunningFulcrum.start(config(port, "1s"))) {
                fulcrum.server().registerTarget("db", new Target("127.0.0.1", b.port(), 1));
                fulcrum.awaitAllHealthy("db");
                try (TcpClient client = new TcpClient(port)) {
                    client.roundTrip("open");
                    CompletableFuture<Void> drained = fulcrum.server().deregisterTarget("db", b.address());
                    assertThat(fulcrum.server().targetGroup("db").targets()).isEmpty();

                    assertThat(client.awaitClosed()).isTrue();
                    await().until(drained::isDone);
                    await().until(() -> b.openConnections() == 0);
                    assertThat(fulcrum.server().tcpListeners().counters().active()).isZero();
                }
            }
        }
    }

    @Test
    void aDrainingTargetIsShownAsDraining() throws Exception {
        try (EchoBackend b = new EchoBackend()) {
            int port = RunningFulcrum.freePort();
            try (RunningFulcrum fulcrum = RunningFulcrum.start(config(port, "300s"))) {
                fulcrum.server().registerTarget("db", new Target("127.0.0.1", b.port(), 1));
                fulcrum.awaitAllHealthy("db");
                var target = fulcrum.server().targetGroup("db").targets().get(0);
                try (TcpClient client = new TcpClient(port)) {
                    client.roundTrip("hold");
                    fulcrum.server().deregisterTarget("db", b.address());
                    assertThat(target.health().state()).isEqualTo(TargetState.DRAINING);
                    assertThat(target.outstandingRequests()).isEqualTo(1);
                }
                await().until(() -> target.outstandingRequests() == 0);
            }
        }
    }
}
