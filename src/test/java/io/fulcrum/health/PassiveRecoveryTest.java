package io.fulcrum.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.model.HealthCheck;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A passively ejected target comes back through the active checks (or the interval when they are off). */
class PassiveRecoveryTest {
    private static final String HOST = "127.0.0.1";

    private EventLoopGroup loops;
    private TestBackend a;
    private TestBackend b;
    private HealthChecker checker;
    private final PassiveHealth passive = new PassiveHealth("web", 5);

    @BeforeEach
    void setUp() throws Exception {
        loops = Checks.eventLoops();
        a = TestBackend.start();
        b = TestBackend.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (checker != null) {
            checker.stop();
        }
        a.close();
        b.close();
        Checks.shutdown(loops);
    }

    @Test
    void activeSuccessesBringAnEjectedTargetBack() {
        checker = new HealthChecker(loops, NioSocketChannel.class, "web", Checks.http(3, 2), Clock.systemUTC());
        TargetHealth ta = new TargetHealth("web", "a");
        TargetHealth tb = new TargetHealth("web", "b");
        passive.add(ta);
        passive.add(tb);
        List<Checks.Seen> seen = Checks.record(ta, checker, HOST, a.port(), a);
        checker.add(HOST, a.port(), ta);
        checker.add(HOST, b.port(), tb);
        // Wait for the notice, not just the state: notices of concurrent changes may come out of order.
        await().until(() -> seen.size() == 1 && tb.routable());

        for (int i = 0; i < 5; i++) {
            passive.recordFailure(ta);
        }
        assertThat(ta.status().passive()).isTrue();
        long probesAtEjection = checker.probesSent(HOST, a.port());
        for (int i = 0; i < 5; i++) {
            passive.recordFailure(tb); // the cap: half of two is one
        }
        assertThat(tb.routable()).isTrue();

        await().until(() -> seen.size() == 3);

        assertThat(seen).extracting(Checks.Seen::to)
                .containsExactly(TargetState.HEALTHY, TargetState.UNHEALTHY, TargetState.HEALTHY);
        assertThat(seen.get(2).probes() - probesAtEjection).isBetween(2L, 3L); // one may have been in flight
        assertThat(ta.passiveFailures()).isZero();
        assertThat(passive.ejectedCount()).isZero();
        // The slot is free again: b can now be ejected.
        for (int i = 0; i < 5; i++) {
            passive.recordFailure(tb);
        }
        assertThat(tb.routable()).isFalse();
    }

    @Test
    void withChecksDisabledAnEjectedTargetIsReadmittedAfterAnInterval() {
        HealthCheck c = Checks.http(3, 2);
        checker = new HealthChecker(loops, NioSocketChannel.class, "web", new HealthCheck(false, c.protocol(),
                c.path(), c.port(), Duration.ofSeconds(1), c.timeout(), 3, 2, c.matcher()), Clock.systemUTC());
        TargetHealth ta = new TargetHealth("web", "a");
        passive.add(ta);
        passive.add(new TargetHealth("web", "b"));
        checker.add(HOST, a.port(), ta);
        // Admitted at once; the next re-admission is one interval (1 s) later, so eject well before it.
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(ta::routable);

        for (int i = 0; i < 5; i++) {
            passive.recordFailure(ta);
        }
        assertThat(ta.routable()).isFalse();

        await().until(ta::routable);
        assertThat(ta.status()).isEqualTo(HealthStatus.HEALTHY_CHECKS_DISABLED);
        assertThat(checker.probesSent(HOST, a.port())).isZero();
    }
}
