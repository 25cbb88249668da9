package io.fulcrum.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP checks over a kept connection: reuse, and a broken kept connection retried once on a fresh one. */
class HttpCheckKeepAliveTest extends CheckerTestBase {
    private TargetHealth health;
    private List<Checks.Seen> seen;

    @BeforeEach
    void startChecker() {
        health = new TargetHealth("web", HOST + ":" + backend.port());
    }

    private void check() {
        checker = new HealthChecker(loops, NioSocketChannel.class, "web", Checks.http(2, 2), Clock.systemUTC());
        seen = Checks.record(health, checker, HOST, backend.port(), backend);
        checker.add(HOST, backend.port(), health);
    }

    private long probes() {
        return checker.probesSent(HOST, backend.port());
    }

    @Test
    void aKeepAliveTargetIsCheckedOverOneConnection() {
        backend.keepAlive(true);
        check();

        await().until(() -> backend.answered(200) >= 5);

        assertThat(backend.connections()).isEqualTo(1);
        assertThat(health.state()).isEqualTo(TargetState.HEALTHY);
    }

    @Test
    void aTargetThatClosesAfterEachAnswerGetsAFreshConnectionPerCheck() {
        check(); // the backend answers "Connection: close"

        await().until(() -> backend.answered(200) >= 4);

        assertThat(backend.connections()).isGreaterThanOrEqualTo(backend.answered(200));
        assertThat(health.state()).isEqualTo(TargetState.HEALTHY);
    }

    @Test
    void aBrokenKeptConnectionIsRetriedOnAFreshOneWithinTheSameCheck() {
        backend.keepAlive(true);
        backend.closeReusedConnections(true); // every reuse finds the connection closed without an answer
        check();

        await().until(() -> backend.answered(200) >= 6);
        long probes = probes();
        int answered = backend.answered(200);
        int connections = backend.connections();

        // Every check was answered (one may be in flight): none was lost to the stale connection...
        assertThat((long) answered).isBetween(probes - 1, probes);
        // ...because each one after the first tried the kept connection, then a fresh one.
        assertThat(connections).isBetween(answered, answered + 1);
        assertThat(seen).extracting(Checks.Seen::to).containsExactly(TargetState.HEALTHY);
        assertThat(checker.lastResult(HOST, backend.port()).success()).isTrue();
    }

    @Test
    void theRetryIsMadeOnceAndAFreshConnectionsFailureCounts() {
        backend.keepAlive(true);
        backend.closeReusedConnections(true);
        check();
        Checks.awaitNotice(seen, TargetState.HEALTHY);
        int connectionsWhenHealthy = backend.connections();
        long probesWhenHealthy = probes();

        backend.closeAtOnce(); // the fresh connection of the retry is closed too: the check fails
        Checks.awaitNotice(seen, TargetState.UNHEALTHY);

        assertThat(health.reason()).isEqualTo(ReasonCodes.FAILED_HEALTH_CHECKS);
        assertThat(health.description()).isIn("Connection closed before a response", "Connection reset by peer");
        // at most one fresh connection per check (plus the one a check in flight may have opened)
        long checks = probes() - probesWhenHealthy;
        assertThat((long) backend.connections() - connectionsWhenHealthy).isBetween(checks - 1, checks + 1);
    }

    @Test
    void aTimeoutOnAKeptConnectionCountsAndTheNextCheckConnectsAnew() {
        backend.keepAlive(true);
        check();
        Checks.awaitNotice(seen, TargetState.HEALTHY);
        assertThat(backend.connections()).isEqualTo(1);

        backend.hang();
        Checks.awaitNotice(seen, TargetState.UNHEALTHY);
        assertThat(health.reason()).isEqualTo(ReasonCodes.TIMEOUT);

        backend.answer(200);
        Checks.awaitNotice(seen, TargetState.HEALTHY);
        // each timed-out check closed its connection: the recovery came over a new one
        assertThat(backend.connections()).isGreaterThanOrEqualTo(3);
    }
}
