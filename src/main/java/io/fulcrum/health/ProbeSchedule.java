package io.fulcrum.health;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoop;
import java.util.PriorityQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The timer of one checker's targets on one event loop: one task, re-armed for the next thing due,
 * instead of a periodic task per target and a deadline task per check.
 *
 * <p>Each run starts every probe due within {@link #BATCH_NANOS} (so probes of many targets go out
 * together and their answers are read in a few wake-ups instead of one each) and expires the checks
 * whose deadline passed. Deadlines are watched in an intrusive list in start order; a check that ends
 * unlinks itself, which costs nothing. Confined to its event loop.
 */
final class ProbeSchedule implements Runnable {
    /** How early a probe may start so that it goes out with others: far below any interval (100 ms and up). */
    static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** Something that runs at a time, e.g. a target's next probe. */
    abstract static class Entry {
        long dueAt;
        /** Runs when due; re-add to run again. */
        abstract void runDue(long nowNanos);
    }

    /** A check in flight with a deadline. */
    abstract static class Deadline {
        long deadline;
        Deadline prev;
        Deadline next;
        boolean watched;
        /** The deadline passed: the check in flight has timed out. */
        abstract void expire();
    }

    private final EventLoop loop;
    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> Long.compare(a.dueAt, b.dueAt));
    private Deadline head;
    private Deadline tail;
    private ScheduledFuture<?> armed;
    private long armedAt = Long.MAX_VALUE;

    ProbeSchedule(EventLoop loop) {
        this.loop = requireNonNull(loop, "loop");
    }

    EventLoop loop() {
        return loop;
    }

    /** Runs {@code entry} at {@code dueAt} (System.nanoTime based); an entry already queued is moved. */
    void add(Entry entry, long dueAt) {
        queue.remove(entry);
        entry.dueAt = dueAt;
        queue.add(entry);
        wakeBy(dueAt);
    }

    /** Re-adds an entry that just ran (it is not queued): no search. */
    void again(Entry entry, long dueAt) {
        entry.dueAt = dueAt;
        queue.add(entry);
        wakeBy(dueAt);
    }

    void remove(Entry entry) {
        queue.remove(entry);
    }

    /** Expires {@code d} at {@code deadline} unless {@link #unwatch} comes first. */
    void watch(Deadline d, long deadline) {
        if (d.watched) {
            unwatch(d);
        }
        d.deadline = deadline;
        d.watched = true;
        d.prev = tail;
        d.next = null;
        if (tail == null) {
            head = d;
        } else {
            tail.next = d;
        }
        tail = d;
        wakeBy(deadline);
    }

    void unwatch(Deadline d) {
        if (!d.watched) {
            return;
        }
        d.watched = false;
        if (d.prev == null) {
            head = d.next;
        } else {
            d.prev.next = d.next;
        }
        if (d.next == null) {
            tail = d.prev;
        } else {
            d.next.prev = d.prev;
        }
        d.prev = null;
        d.next = null;
    }

    @Override
    public void run() {
        armed = null;
        armedAt = Long.MAX_VALUE;
        long now = System.nanoTime();
        // deadlines first: a check that timed out must not be mistaken for one in flight by its next probe
        for (Deadline d = head; d != null; ) {
            Deadline next = d.next;
            if (d.deadline - now <= 0) {
                unwatch(d);
                d.expire();
            }
            d = next;
        }
        for (Entry e = queue.peek(); e != null && e.dueAt - now <= BATCH_NANOS; e = queue.peek()) {
            queue.poll();
            e.runDue(now);
        }
        long next = Long.MAX_VALUE;
        Entry first = queue.peek();
        if (first != null) {
            next = first.dueAt;
        }
        for (Deadline d = head; d != null; d = d.next) {
            next = Math.min(next, d.deadline);
        }
        if (next != Long.MAX_VALUE) {
            wakeBy(next);
        }
    }

    private void wakeBy(long at) {
        if (armed != null && armedAt - at <= 0) {
            return;
        }
        if (armed != null) {
            armed.cancel(false);
        }
        armedAt = at;
        armed = loop.schedule(this, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
