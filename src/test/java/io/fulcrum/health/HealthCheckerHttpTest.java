package io.fulcrum.health;

import static io.fulcrum.health.Checks.last;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.model.HealthCheck;
import io.fulcrum.model.StatusMatcher;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP checks against a real loopback backend: thresholds, reason codes, recovery. */
class HealthCheckerHttpTest extends CheckerTestBase {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-02T03:04:05.000000123Z"), ZoneOffset.UTC);

    private TargetHealth health;
    private List<Checks.Seen> seen;

    @BeforeEach
    void setUp() {
        health = new TargetHealth("web", HOST + ":" + backend.port(), CLOCK);
    }

    private void startChecker(HealthCheck config) {
        checker = new HealthChecker(loops, NioSocketChannel.class, "web", config, CLOCK);
        seen = Checks.record(health, checker, HOST, backend.port(), backend);
        checker.add(HOST, backend.port(), health);
    }

    private void awaitHealthy() {
        Checks.awaitNotice(seen, TargetState.HEALTHY);
    }

    private void awaitUnhealthy() {
        Checks.awaitNotice(seen, TargetState.UNHEALTHY);
    }

    @Test
    void initialBecomesHealthyAfterHealthyThresholdSuccesses() {
        startChecker(Checks.http(3, 2));
        assertThat(health.healthySinceNanos()).isEqualTo(Long.MIN_VALUE);

        awaitHealthy();

        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).from()).isEqualTo(TargetState.INITIAL);
        assertThat(seen.get(0).probes()).isEqualTo(3);
        assertThat(seen.get(0).answered200()).isEqualTo(3);
        assertThat(health.reason()).isNull();
        assertThat(health.routable()).isTrue();
        assertThat(health.healthySinceNanos()).isEqualTo(TargetHealth.epochNanos(CLOCK));
        assertThat(checker.lastCheckedAt(HOST, backend.port())).isEqualTo(CLOCK.instant());
    }

    @Test
    void probeSendsPathHostAndUserAgentAndAsksForNoClose() {
        startChecker(Checks.http(2, 2));
        await().until(() -> backend.answered(200) >= 1);

        assertThat(backend.lastRequestHead()).first().isEqualTo("GET /health HTTP/1.1");
        assertThat(backend.lastRequestHead()).contains(
                "host: 127.0.0.1:" + backend.port(),
                "user-agent: Fulcrum-HealthChecker/1.0");
        // HTTP/1.1's default: the connection may be kept for the next check
        assertThat(backend.lastRequestHead()).noneMatch(line -> line.toLowerCase().startsWith("connection:"));
    }

    @Test
    void initialBecomesUnhealthyAfterUnhealthyThresholdMismatches() {
        backend.answer(503);
        startChecker(Checks.http(2, 3));

        awaitUnhealthy();

        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).from()).isEqualTo(TargetState.INITIAL);
        assertThat(seen.get(0).probes()).isEqualTo(3);
        assertThat(health.reason()).isEqualTo("Target.ResponseCodeMismatch");
        assertThat(health.description()).isEqualTo("Health checks failed with these codes: [503]");
    }

    @Test
    void healthyBecomesUnhealthyOnResponseCodeMismatch() {
        startChecker(Checks.http(2, 2));
        awaitHealthy();

        backend.answer(503);
        awaitUnhealthy();

        Checks.Seen down = last(seen);
        assertThat(down.from()).isEqualTo(TargetState.HEALTHY);
        assertThat(down.answered503()).isEqualTo(2);
        assertThat(down.status().reason()).isEqualTo(ReasonCodes.RESPONSE_CODE_MISMATCH);
        assertThat(down.status().description()).isEqualTo("Health checks failed with these codes: [503]");
        assertThat(health.routable()).isFalse();
        assertThat(checker.lastResult(HOST, backend.port()).outcome()).isEqualTo(ProbeOutcome.BAD_STATUS);
    }

    @Test
    void healthyBecomesUnhealthyOnTimeout() {
        startChecker(Checks.http(2, 2));
        awaitHealthy();
        long probesWhenHealthy = checker.probesSent(HOST, backend.port());

        backend.hang();
        awaitUnhealthy();

        Checks.Seen down = last(seen);
        assertThat(down.status().reason()).isEqualTo("Target.Timeout");
        assertThat(down.status().description()).isEqualTo("Request timed out");
        assertThat(down.probes() - probesWhenHealthy).isGreaterThanOrEqualTo(2);
        assertThat(checker.lastResult(HOST, backend.port()).outcome()).isEqualTo(ProbeOutcome.TIMEOUT);
    }

    @Test
    void healthyBecomesUnhealthyWhenRefusedAndHealthyAgainWhenRestarted() throws Exception {
        startChecker(Checks.http(3, 2));
        awaitHealthy();

        backend.stop();
        awaitUnhealthy();
        assertThat(health.reason()).isEqualTo("Target.FailedHealthChecks");
        assertThat(health.description()).isEqualTo("Connection refused");
        int answeredBeforeRestart = backend.answered(200);

        backend.restart();
        awaitHealthy();

        Checks.Seen up = last(seen);
        assertThat(up.from()).isEqualTo(TargetState.UNHEALTHY);
        assertThat(up.answered200() - answeredBeforeRestart).isEqualTo(3);
        assertThat(seen).extracting(Checks.Seen::to)
                .containsExactly(TargetState.HEALTHY, TargetState.UNHEALTHY, TargetState.HEALTHY);
    }

    @Test
    void connectionClosedWithoutAnswerFailsTheCheck() {
        startChecker(Checks.http(2, 2));
        awaitHealthy();

        backend.closeAtOnce();
        awaitUnhealthy();

        assertThat(health.reason()).isEqualTo("Target.FailedHealthChecks");
        assertThat(health.description()).isIn("Connection closed before a response", "Connection reset by peer");
    }

    @Test
    void matcherAcceptsRangesAndListsAndUpdateAppliesANewOne() {
        backend.answer(302);
        startChecker(Checks.http(2, 2));
        awaitUnhealthy();
        assertThat(health.description()).isEqualTo("Health checks failed with these codes: [302]");

        HealthCheck c = Checks.http(2, 2);
        checker.update(new HealthCheck(true, c.protocol(), c.path(), c.port(), c.interval(), c.timeout(),
                c.healthyThreshold(), c.unhealthyThreshold(), StatusMatcher.parse("200-299,302")));
        awaitHealthy();

        assertThat(checker.config().matcher().text()).isEqualTo("200-299,302");
    }

    @Test
    void checkPortOverridesTheTrafficPort() throws Exception {
        try (TestBackend healthPort = TestBackend.start()) {
            HealthCheck c = Checks.http(2, 2);
            backend.stop(); // the traffic port refuses; only the health port answers
            startChecker(new HealthCheck(true, c.protocol(), c.path(), healthPort.port(), c.interval(),
                    c.timeout(), c.healthyThreshold(), c.unhealthyThreshold(), c.matcher()));
            awaitHealthy();

            assertThat(healthPort.answered(200)).isGreaterThanOrEqualTo(2);
            assertThat(healthPort.lastRequestHead()).contains("host: 127.0.0.1:" + healthPort.port());
        }
    }
}
