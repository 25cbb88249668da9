package io.fulcrum.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.model.TargetGroupAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Passive ejection and its half-of-group cap, without sockets. */
class PassiveHealthTest {

    private static List<TargetHealth> healthyGroup(PassiveHealth passive, int size) {
        List<TargetHealth> group = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            TargetHealth t = new TargetHealth("web", "10.0.0." + i + ":80");
            t.transition(HealthStatus.INITIAL, HealthStatus.HEALTHY);
            passive.add(t);
            group.add(t);
        }
        return group;
    }

    private static void fail(PassiveHealth passive, TargetHealth t, int times) {
        for (int i = 0; i < times; i++) {
            passive.recordFailure(t);
        }
    }

    @Test
    void thresholdFailuresInARowEjectAsPassive() {
        PassiveHealth passive = new PassiveHealth("web", TargetGroupAttributes.DEFAULTS);
        List<TargetHealth> group = healthyGroup(passive, 4);
        TargetHealth t = group.get(0);
        List<HealthChange> changes = new ArrayList<>();
        t.addListener(changes::add);

        fail(passive, t, 4);
        assertThat(t.routable()).isTrue();
        fail(passive, t, 1);

        assertThat(t.state()).isEqualTo(TargetState.UNHEALTHY);
        assertThat(t.reason()).isEqualTo("Target.FailedHealthChecks");
        assertThat(t.description()).isEqualTo("Passive: 5 consecutive connection failures");
        assertThat(t.status().passive()).isTrue();
        assertThat(passive.ejectedCount()).isEqualTo(1);
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).current().state()).isEqualTo(TargetState.UNHEALTHY);
    }

    @Test
    void aSuccessRestartsTheCount() {
        PassiveHealth passive = new PassiveHealth("web", 5);
        TargetHealth t = healthyGroup(passive, 4).get(0);

        fail(passive, t, 4);
        passive.recordSuccess(t);
        fail(passive, t, 4);

        assertThat(t.routable()).isTrue();
        assertThat(t.passiveFailures()).isEqualTo(4);
    }

    @Test
    void neverEjectsMoreThanHalfOfTheGroup() {
        PassiveHealth passive = new PassiveHealth("web", 5);
        List<TargetHealth> group = healthyGroup(passive, 5);

        for (TargetHealth t : group) {
            fail(passive, t, 20);
        }

        assertThat(passive.ejectedCount()).isEqualTo(2);
        assertThat(group).filteredOn(TargetHealth::routable).hasSize(3);
    }

    @Test
    void aGroupOfOneIsNeverEjectedAndOfTwoAtMostOne() {
        PassiveHealth one = new PassiveHealth("one", 5);
        TargetHealth only = healthyGroup(one, 1).get(0);
        fail(one, only, 50);
        assertThat(only.routable()).isTrue();

        PassiveHealth two = new PassiveHealth("two", 5);
        List<TargetHealth> pair = healthyGroup(two, 2);
        fail(two, pair.get(0), 5);
        fail(two, pair.get(1), 50);
        assertThat(pair.get(0).routable()).isFalse();
        assertThat(pair.get(1).routable()).isTrue();
    }

    @Test
    void onlyHealthyMembersAreEjected() {
        PassiveHealth passive = new PassiveHealth("web", 5);
        List<TargetHealth> group = healthyGroup(passive, 4);
        TargetHealth draining = group.get(0);
        draining.markDraining();
        TargetHealth initial = new TargetHealth("web", "new");
        passive.add(initial);
        TargetHealth stranger = new TargetHealth("web", "not a member");
        stranger.transition(HealthStatus.INITIAL, HealthStatus.HEALTHY);

        fail(passive, draining, 10);
        fail(passive, initial, 10);
        fail(passive, stranger, 10);

        assertThat(draining.state()).isEqualTo(TargetState.DRAINING);
        assertThat(initial.state()).isEqualTo(TargetState.INITIAL);
        assertThat(stranger.routable()).isTrue();
    }

    @Test
    void thresholdZeroTurnsPassiveEjectionOff() {
        PassiveHealth passive = new PassiveHealth("web", 5);
        TargetHealth t = healthyGroup(passive, 4).get(0);
        passive.setUnhealthyThreshold(0);

        fail(passive, t, 100);

        assertThat(t.routable()).isTrue();
    }

    @Test
    void concurrentFailuresStillRespectTheCap() throws Exception {
        PassiveHealth passive = new PassiveHealth("web", 5);
        List<TargetHealth> group = healthyGroup(passive, 10);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            for (int i = 0; i < threads; i++) {
                pool.execute(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int round = 0; round < 500; round++) {
                        for (TargetHealth t : group) {
                            passive.recordFailure(t);
                        }
                    }
                });
            }
            go.countDown();
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(passive.ejectedCount()).isEqualTo(5);
        assertThat(group).filteredOn(TargetHealth::routable).hasSize(5);
    }
}
