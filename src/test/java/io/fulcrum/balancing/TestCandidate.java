package io.fulcrum.balancing;

import java.util.concurrent.atomic.AtomicInteger;

/** A candidate with a name, a weight, a settable outstanding count and a slow-start instant. */
final class TestCandidate implements Candidate {
    final String name;
    final int weight;
    final AtomicInteger outstanding = new AtomicInteger();
    final long slowStartBeginNanos;

    TestCandidate(String name, int weight) {
        this(name, weight, Long.MIN_VALUE);
    }

    TestCandidate(String name, int weight, long slowStartBeginNanos) {
        this.name = name;
        this.weight = weight;
        this.slowStartBeginNanos = slowStartBeginNanos;
    }

    TestCandidate outstanding(int value) {
        outstanding.set(value);
        return this;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public int outstandingRequests() {
        return outstanding.get();
    }

    @Override
    public long slowStartBeginNanos() {
        return slowStartBeginNanos;
    }

    @Override
    public String toString() {
        return name;
    }
}
