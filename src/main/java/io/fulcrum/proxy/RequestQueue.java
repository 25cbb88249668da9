package io.fulcrum.proxy;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Requests of a target group waiting for a free slot while every target is at its
 * maxConnectionsPerTarget (HAProxy's maxconn queue). A finished request hands its slot straight to
 * the oldest waiter; a waiter that times out or whose client leaves claims itself and is skipped.
 * Kept across reloads with the group.
 */
public final class RequestQueue {
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    /** One queued request: granted a target (with its slot already taken) at most once. */
    static final class Waiter {
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final Consumer<LiveTarget> onGranted;

        Waiter(Consumer<LiveTarget> onGranted) {
            this.onGranted = onGranted;
        }

        /** True for the one caller that decides this waiter's fate (grant, timeout or abandon). */
        boolean claim() {
            return claimed.compareAndSet(false, true);
        }
    }

    /** Queues a waiter unless {@code max} are already waiting. */
    boolean offer(Waiter waiter, int max) {
        if (size.incrementAndGet() > max) {
            size.decrementAndGet();
            return false;
        }
        waiters.add(waiter);
        return true;
    }

    /** Removes a waiter that gave up (timed out, client gone). */
    void remove(Waiter waiter) {
        if (waiters.remove(waiter)) {
            size.decrementAndGet();
        }
    }

    /** Hands a slot of {@code target} to the oldest live waiter; false when nobody waits. */
    boolean handOff(LiveTarget target) {
        Waiter waiter;
        while ((waiter = waiters.poll()) != null) {
            size.decrementAndGet();
            if (waiter.claim()) {
                waiter.onGranted.accept(target);
                return true;
            }
        }
        return false;
    }

    public int size() {
        return size.get();
    }
}
