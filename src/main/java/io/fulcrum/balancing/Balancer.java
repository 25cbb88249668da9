package io.fulcrum.balancing;

import java.util.List;

/** Picks one candidate per request; implementations are thread-safe, lock-free and allocation-free. */
public interface Balancer {
    /**
     * Picks one of candidates (non-empty list, random access); never null for a non-empty list.
     *
     * @param nowNanos the current {@link System#nanoTime()}-style instant, for slow start
     * @throws IllegalArgumentException if candidates is empty
     */
    <T extends Candidate> T pick(List<T> candidates, long nowNanos);

    /**
     * Picks one of candidates for a connection whose 5-tuple hashes to {@code flowHash}. Only
     * {@code flow_hash} uses the hash; the other algorithms pick as {@link #pick(List, long)} does.
     */
    default <T extends Candidate> T pick(List<T> candidates, long nowNanos, long flowHash) {
        return pick(candidates, nowNanos);
    }
}
