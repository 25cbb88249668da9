package io.fulcrum.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.model.HealthCheck;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** When probes run: at once for a new target, spread afterwards, stopped on removal, none when disabled. */
class HealthCheckerScheduleTest extends CheckerTestBase {
    private HealthChecker checker(HealthCheck config) {
        checker = new HealthChecker(loops, new ReflectiveChannelFactory<>(NioSocketChannel.class), "web", config,
                Clock.systemUTC(), new Random(42));
        return checker;
    }

    @Test
    void firstProbeOfANewTargetRunsAtOnceNotAfterAnInterval() {
        HealthCheck c = Checks.http(2, 2);
        // With a 300 s interval the second probe comes 150 s or more later: only the first can be seen.
        checker(new HealthCheck(true, c.protocol(), c.path(), c.port(), HealthCheck.MAX_INTERVAL,
                Duration.ofSeconds(5), 2, 2, c.matcher()));
        TargetHealth health = new TargetHealth("web", HOST + ":" + backend.port());

        checker.add(HOST, backend.port(), health);

        await().until(() -> checker.lastResult(HOST, backend.port()) != null);
        assertThat(checker.probesSent(HOST, backend.port())).isEqualTo(1);
        assertThat(checker.lastResult(HOST, backend.port()).success()).isTrue();
        assertThat(backend.answered(200)).isEqualTo(1);
        assertThat(health.state()).isEqualTo(TargetState.INITIAL);
        assertThat(health.reason()).isEqualTo("Elb.InitialHealthChecking");
    }

    @Test
    void secondProbeComesBetweenHalfAndOneAndAHalfIntervalsAfterTheFirst() {
        long interval = 1_000;
        assertThat(HealthChecker.secondProbeDelay(0, interval)).isEqualTo(1_000);
        assertThat(HealthChecker.secondProbeDelay(499, interval)).isEqualTo(1_499);
        assertThat(HealthChecker.secondProbeDelay(500, interval)).isEqualTo(500);
        assertThat(HealthChecker.secondProbeDelay(999, interval)).isEqualTo(999);
        // Phases spread over the whole interval, so steady-state probes of a group do too.
        Random random = new Random(7);
        for (int i = 0; i < 1_000; i++) {
            long phase = random.nextLong(interval);
            long delay = HealthChecker.secondProbeDelay(phase, interval);
            assertThat(delay % interval).isEqualTo(phase);
            assertThat(delay).isBetween(interval / 2, interval + interval / 2 - 1);
        }
    }

    @Test
    void removedTargetIsNoLongerProbed() throws Exception {
        checker(Checks.http(2, 2));
        try (TestBackend kept = TestBackend.start()) {
            checker.add(HOST, backend.port(), new TargetHealth("web", "removed"));
            checker.add(HOST, kept.port(), new TargetHealth("web", "kept"));
            await().until(() -> backend.answered(200) >= 2);

            checker.remove(HOST, backend.port());
            int removedConnections = backend.connections();
            int keptAnswers = kept.answered(200);
            await().until(() -> kept.answered(200) >= keptAnswers + 4);

            assertThat(backend.connections()).isLessThanOrEqualTo(removedConnections + 1); // one may be in flight
            assertThat(checker.probesSent(HOST, backend.port())).isZero();
            assertThat(checker.size()).isEqualTo(1);
        }
    }

    @Test
    void disabledChecksMakeTargetsHealthyAtOnceWithoutProbes() {
        HealthCheck c = Checks.http(5, 2);
        checker(new HealthCheck(false, c.protocol(), c.path(), c.port(), c.interval(), c.timeout(), 5, 2,
                c.matcher()));
        TargetHealth health = new TargetHealth("web", "t");

        checker.add(HOST, backend.port(), health);

        await().until(health::routable);
        assertThat(health.status()).isEqualTo(HealthStatus.HEALTHY_CHECKS_DISABLED);
        assertThat(health.description()).isEqualTo("Health checks are disabled");
        assertThat(checker.probesSent(HOST, backend.port())).isZero();
        assertThat(backend.connections()).isZero();
    }

    @Test
    void disablingChecksReadmitsAnUnhealthyTargetAndEnablingProbesAgain() {
        backend.answer(503);
        HealthCheck c = Checks.http(2, 2);
        checker(c);
        TargetHealth health = new TargetHealth("web", "t");
        checker.add(HOST, backend.port(), health);
        await().until(() -> health.state() == TargetState.UNHEALTHY);

        checker.update(new HealthCheck(false, c.protocol(), c.path(), c.port(), c.interval(), c.timeout(), 2, 2,
                c.matcher()));
        await().until(health::routable);

        long probes = checker.probesSent(HOST, backend.port());
        checker.update(c);
        await().until(() -> health.state() == TargetState.UNHEALTHY);
        assertThat(checker.probesSent(HOST, backend.port()) - probes).isGreaterThanOrEqualTo(2);
    }

    @Test
    void markedInitialAgainTheTargetMustPassTheThresholdAgain() {
        checker(Checks.http(3, 2));
        TargetHealth health = new TargetHealth("web", "t");
        java.util.List<Checks.Seen> seen = Checks.record(health, checker, HOST, backend.port(), backend);
        checker.add(HOST, backend.port(), health);
        await().until(() -> seen.size() == 1);

        health.markInitial();
        long probesAtInitial = checker.probesSent(HOST, backend.port());
        await().until(() -> seen.size() == 3);

        assertThat(seen).extracting(Checks.Seen::to)
                .containsExactly(TargetState.HEALTHY, TargetState.INITIAL, TargetState.HEALTHY);
        // Three successes after the reset: three new probes, or two when one was already started (counted
        // in probesAtInitial) and finished after the reset.
        assertThat(seen.get(2).probes() - probesAtInitial).isBetween(2L, 3L);
    }
}
