package io.fulcrum.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The threshold state machine without I/O. */
class ActiveThresholdsTest {
    private static final ProbeResult OK = ProbeResult.http(200, true);
    private static final ProbeResult BAD = ProbeResult.http(503, false);

    private final ActiveThresholds machine = new ActiveThresholds();

    private HealthStatus run(HealthStatus start, ProbeResult... results) {
        HealthStatus s = start;
        for (ProbeResult r : results) {
            s = machine.next(s, r, 3, 2);
        }
        return s;
    }

    @Test
    void initialNeedsHealthyThresholdSuccessesInARow() {
        assertThat(run(HealthStatus.INITIAL, OK, OK).state()).isEqualTo(TargetState.INITIAL);
        assertThat(run(HealthStatus.INITIAL, OK).state()).isEqualTo(TargetState.HEALTHY);
    }

    @Test
    void aFailureRestartsTheSuccessCount() {
        assertThat(run(HealthStatus.INITIAL, OK, OK, BAD, OK, OK).state()).isEqualTo(TargetState.INITIAL);
        assertThat(run(HealthStatus.INITIAL, OK).state()).isEqualTo(TargetState.HEALTHY);
    }

    @Test
    void initialAndHealthyNeedUnhealthyThresholdFailuresInARow() {
        HealthStatus s = run(HealthStatus.INITIAL, BAD);
        assertThat(s.state()).isEqualTo(TargetState.INITIAL);
        s = run(s, BAD);
        assertThat(s.state()).isEqualTo(TargetState.UNHEALTHY);
        assertThat(s.reason()).isEqualTo(ReasonCodes.RESPONSE_CODE_MISMATCH);

        machine.reset();
        s = run(HealthStatus.HEALTHY, BAD, OK, BAD);
        assertThat(s).isSameAs(HealthStatus.HEALTHY);
        s = run(s, BAD);
        assertThat(s.state()).isEqualTo(TargetState.UNHEALTHY);
    }

    @Test
    void unhealthyFollowsTheLatestFailureAndRecovers() {
        HealthStatus s = run(HealthStatus.HEALTHY, BAD, BAD);
        HealthStatus same = run(s, BAD);
        assertThat(same).isSameAs(s);

        HealthStatus timedOut = run(s, ProbeResult.TIMED_OUT);
        assertThat(timedOut.reason()).isEqualTo(ReasonCodes.TIMEOUT);
        assertThat(timedOut.description()).isEqualTo("Request timed out");

        assertThat(run(timedOut, OK, OK, OK)).isSameAs(HealthStatus.HEALTHY);
    }

    @Test
    void passiveEjectionKeepsItsReasonUntilActiveChecksConfirmIt() {
        HealthStatus passive = new HealthStatus(TargetState.UNHEALTHY, ReasonCodes.FAILED_HEALTH_CHECKS,
                "Passive: 5 consecutive connection failures", true);

        assertThat(run(passive, BAD)).isSameAs(passive);
        HealthStatus confirmed = run(passive, BAD);
        assertThat(confirmed.passive()).isFalse();
        assertThat(confirmed.reason()).isEqualTo(ReasonCodes.RESPONSE_CODE_MISMATCH);

        machine.reset();
        assertThat(run(passive, OK, OK, OK)).isSameAs(HealthStatus.HEALTHY);
    }

    @Test
    void drainingAndUnusedAreLeftAlone() {
        assertThat(run(HealthStatus.DRAINING, OK, OK, OK, BAD, BAD)).isSameAs(HealthStatus.DRAINING);
        assertThat(run(HealthStatus.UNUSED, OK, OK, OK, BAD, BAD)).isSameAs(HealthStatus.UNUSED);
    }

    @Test
    void failuresMapToAlbReasonCodes() {
        assertThat(ProbeOutcome.BAD_STATUS.reason()).isEqualTo("Target.ResponseCodeMismatch");
        assertThat(ProbeOutcome.TIMEOUT.reason()).isEqualTo("Target.Timeout");
        assertThat(ProbeOutcome.CONNECT_REFUSED.reason()).isEqualTo("Target.FailedHealthChecks");
        assertThat(ProbeOutcome.CONNECTION_RESET.reason()).isEqualTo("Target.FailedHealthChecks");
        assertThat(Prober.classify(new java.net.ConnectException("Connection refused")))
                .isEqualTo(ProbeResult.REFUSED);
        assertThat(Prober.classify(new io.netty.channel.ConnectTimeoutException("x")))
                .isEqualTo(ProbeResult.TIMED_OUT);
        assertThat(Prober.classify(new java.io.IOException("Connection reset by peer")))
                .isEqualTo(ProbeResult.RESET);
    }
}
