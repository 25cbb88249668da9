package io.fulcrum.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The state holder alone: initial status, control-side transitions, listeners, healthy-since. */
class TargetHealthTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2031-05-06T07:08:09.123456789Z"), ZoneOffset.UTC);

    @Test
    void statesHaveAlbNames() {
        assertThat(TargetState.values()).extracting(TargetState::configName)
                .containsExactly("initial", "healthy", "unhealthy", "unused", "draining");
    }

    @Test
    void newTargetIsInitialAndNotRoutable() {
        TargetHealth t = new TargetHealth("web", "127.0.0.1:9001", CLOCK);

        assertThat(t.state()).isEqualTo(TargetState.INITIAL);
        assertThat(t.reason()).isEqualTo("Elb.InitialHealthChecking");
        assertThat(t.routable()).isFalse();
        assertThat(t.healthySinceNanos()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void becomingHealthyStampsTheClockAndClearsPassiveFailures() {
        TargetHealth t = new TargetHealth("web", "127.0.0.1:9001", CLOCK);
        t.passiveFailures.set(3);

        assertThat(t.transition(HealthStatus.INITIAL, HealthStatus.HEALTHY)).isTrue();

        assertThat(t.routable()).isTrue();
        assertThat(t.reason()).isNull();
        assertThat(t.healthySinceNanos()).isEqualTo(ChronoUnit.NANOS.between(Instant.EPOCH, CLOCK.instant()));
        assertThat(t.passiveFailures()).isZero();
    }

    @Test
    void transitionFailsWhenAnotherWriterChangedTheStatus() {
        TargetHealth t = new TargetHealth("web", "a", CLOCK);
        t.markDraining();

        assertThat(t.transition(HealthStatus.INITIAL, HealthStatus.HEALTHY)).isFalse();
        assertThat(t.state()).isEqualTo(TargetState.DRAINING);
    }

    @Test
    void controlSideTransitionsAndListeners() {
        TargetHealth t = new TargetHealth("web", "a", CLOCK);
        List<String> changes = new ArrayList<>();
        Consumer<HealthChange> throwing = c -> {
            throw new IllegalStateException("a broken listener must not stop the others");
        };
        t.addListener(throwing);
        t.addListener(c -> changes.add(c.previous().state().configName() + "->" + c.current().state().configName()
                + " " + c.current().reason()));

        t.markUnused();
        t.markUnused(); // no change, no event
        t.markInitial();
        t.transition(t.status(), HealthStatus.HEALTHY);
        t.markDraining();
        t.markUnused(); // draining wins over unused

        assertThat(changes).containsExactly(
                "initial->unused Target.NotInUse",
                "unused->initial Elb.InitialHealthChecking",
                "initial->healthy null",
                "healthy->draining Target.DeregistrationInProgress");
        assertThat(t.state()).isEqualTo(TargetState.DRAINING);
        assertThat(t.description()).isEqualTo("Target deregistration is in progress");
    }

    @Test
    void reasonChangeWithinAStateIsNotAStateChange() {
        TargetHealth t = new TargetHealth("web", "a", CLOCK);
        List<HealthChange> changes = new ArrayList<>();
        t.addListener(changes::add);
        HealthStatus timeout = new HealthStatus(TargetState.UNHEALTHY, ReasonCodes.TIMEOUT, "Request timed out");
        HealthStatus refused = new HealthStatus(TargetState.UNHEALTHY, ReasonCodes.FAILED_HEALTH_CHECKS,
                "Connection refused");

        t.transition(HealthStatus.INITIAL, timeout);
        t.transition(timeout, refused);

        assertThat(changes).hasSize(1);
        assertThat(t.status()).isSameAs(refused);
    }

    @Test
    void removedListenerIsNotCalled() {
        TargetHealth t = new TargetHealth("web", "a", CLOCK);
        List<HealthChange> changes = new ArrayList<>();
        Consumer<HealthChange> listener = changes::add;
        t.addListener(listener);
        t.removeListener(listener);

        t.markDraining();

        assertThat(changes).isEmpty();
    }
}
