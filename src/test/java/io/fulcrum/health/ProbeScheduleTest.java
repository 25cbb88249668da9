package io.fulcrum.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared timer: entries due close together run in one go; deadlines expire unless unwatched. */
class ProbeScheduleTest {
    private final EventLoop loop = new DefaultEventLoop();
    private final ProbeSchedule schedule = new ProbeSchedule(loop);
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Named extends ProbeSchedule.Entry {
        final String name;
        long ranAt;

        Named(String name) {
            this.name = name;
        }

        @Override
        void runDue(long nowNanos) {
            ranAt = nowNanos;
            ran.add(name);
        }
    }

    private final class Check extends ProbeSchedule.Deadline {
        final String name;

        Check(String name) {
            this.name = name;
        }

        @Override
        void expire() {
            ran.add("expired " + name);
        }
    }

    @Test
    void entriesDueWithinTheBatchRunTogetherInDueOrderAndRemovedOnesNever() {
        Named a = new Named("a");
        Named b = new Named("b");
        Named c = new Named("c");
        Named removed = new Named("removed");
        loop.execute(() -> {
            long base = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            schedule.add(b, base + ProbeSchedule.BATCH_NANOS / 2);
            schedule.add(a, base);
            schedule.add(removed, base + 1);
            schedule.add(c, base + TimeUnit.MILLISECONDS.toNanos(200));
            schedule.remove(removed);
        });

        await().until(() -> ran.size() == 3);

        assertThat(ran).containsExactly("a", "b", "c");
        assertThat(a.ranAt).isEqualTo(b.ranAt); // one run started both
        assertThat(c.ranAt).isNotEqualTo(a.ranAt);
    }

    @Test
    void deadlinesExpireUnlessUnwatchedAndAnEntryCanBeMovedLater() {
        Check late = new Check("late");
        Check answered = new Check("answered");
        Check middle = new Check("middle");
        Named moved = new Named("moved");
        loop.execute(() -> {
            long now = System.nanoTime();
            schedule.watch(answered, now + TimeUnit.MILLISECONDS.toNanos(20));
            schedule.watch(late, now + TimeUnit.MILLISECONDS.toNanos(30));
            schedule.watch(middle, now + TimeUnit.MILLISECONDS.toNanos(40));
            schedule.unwatch(answered);
            schedule.add(moved, now + TimeUnit.MILLISECONDS.toNanos(10));
            schedule.add(moved, now + TimeUnit.MILLISECONDS.toNanos(100)); // moved, not added twice
        });

        await().until(() -> ran.size() == 3);
        loop.submit(() -> { }).syncUninterruptibly();

        assertThat(ran).containsExactly("expired late", "expired middle", "moved");
    }
}
