package io.fulcrum.proxy;

import io.fulcrum.balancing.Balancer;
import io.fulcrum.health.PassiveHealth;
import io.fulcrum.health.TargetHealth;
import io.fulcrum.metrics.TargetGroupStats;
import io.fulcrum.model.TargetGroup;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A target group of one routing snapshot: its spec, its registered targets and the list that requests
 * are balanced over. That list is rebuilt when a target's health changes, never per request: the
 * healthy targets, or every registered target when none is healthy (fail open, as ALB does).
 */
public final class LiveTargetGroup {
    private static final Logger LOG = LoggerFactory.getLogger(LiveTargetGroup.class);

    private final TargetGroup spec;
    private final List<LiveTarget> targets;
    private final Map<String, LiveTarget> byKey;
    private final Balancer balancer;
    private final Clock clock;
    private final PassiveHealth passive;
    private final RequestQueue queue;
    /** Requests forwarded to this group; held by the server across snapshots so a reload keeps counting. */
    private final LongAdder requests;
    /** The group's counters (requests among them), held by the server across snapshots too. */
    private final TargetGroupStats stats;
    private final int maxPerTarget;
    private final boolean slowStart;
    private volatile List<LiveTarget> routable = List.of();
    private volatile boolean failingOpen;

    public LiveTargetGroup(TargetGroup spec, List<LiveTarget> targets, Balancer balancer, PassiveHealth passive,
                           RequestQueue queue, Clock clock) {
        this(spec, targets, balancer, passive, queue, clock, new LongAdder());
    }

    /** @param requests the group's request counter, which outlives this snapshot */
    public LiveTargetGroup(TargetGroup spec, List<LiveTarget> targets, Balancer balancer, PassiveHealth passive,
                           RequestQueue queue, Clock clock, LongAdder requests) {
        this(spec, targets, balancer, passive, queue, clock, new TargetGroupStats(requests));
    }

    /** @param stats the group's counters, which outlive this snapshot */
    public LiveTargetGroup(TargetGroupStats stats, TargetGroup spec, List<LiveTarget> targets, Balancer balancer,
                           PassiveHealth passive, RequestQueue queue, Clock clock) {
        this(spec, targets, balancer, passive, queue, clock, stats);
    }

    private LiveTargetGroup(TargetGroup spec, List<LiveTarget> targets, Balancer balancer, PassiveHealth passive,
                            RequestQueue queue, Clock clock, TargetGroupStats stats) {
        this.stats = stats;
        this.requests = stats.requestsAdder();
        this.spec = spec;
        this.passive = passive;
        this.queue = queue;
        this.maxPerTarget = spec.attributes().maxConnectionsPerTarget();
        this.targets = List.copyOf(targets);
        this.balancer = balancer;
        this.clock = clock;
        this.slowStart = !spec.attributes().slowStart().isZero();
        Map<String, LiveTarget> keys = new java.util.HashMap<>();
        for (LiveTarget target : this.targets) {
            keys.put(target.key(), target);
        }
        this.byKey = Map.copyOf(keys);
    }

    public String name() {
        return spec.name();
    }

    public TargetGroup spec() {
        return spec;
    }

    /** Counts one request forwarded to this group: no lock, no allocation. */
    void countRequest() {
        requests.increment();
    }

    /** What this group counts across reloads. */
    public TargetGroupStats stats() {
        return stats;
    }

    /** Requests forwarded to this group since it was first configured (ALB's RequestCount). */
    public long requestCount() {
        return requests.sum();
    }

    /** Registered (not draining) targets. */
    public List<LiveTarget> targets() {
        return targets;
    }

    /** Passive health accounting of this group (connect failures and resets). */
    public PassiveHealth passive() {
        return passive;
    }

    /** Requests waiting for a slot when every target is at maxConnectionsPerTarget. */
    public RequestQueue queue() {
        return queue;
    }

    /**
     * Takes a request slot on {@code preferred}, or else on another routable target with room;
     * null when every target is at maxConnectionsPerTarget.
     */
    public LiveTarget acquire(LiveTarget preferred) {
        if (preferred.tryAcquire(maxPerTarget)) {
            return preferred;
        }
        List<LiveTarget> candidates = routable;
        int size = candidates.size();
        int start = size == 0 ? 0 : java.util.concurrent.ThreadLocalRandom.current().nextInt(size);
        for (int i = 0; i < size; i++) {
            LiveTarget other = candidates.get((start + i) % size);
            if (other != preferred && other.tryAcquire(maxPerTarget)) {
                return other;
            }
        }
        return null;
    }

    /** The targets requests are spread over now. */
    public List<LiveTarget> routable() {
        return routable;
    }

    /** True while no target is healthy and requests go to all of them. */
    public boolean failingOpen() {
        return failingOpen;
    }

    /** The registered target with this key ("host:port"), or null. */
    LiveTarget target(String key) {
        return byKey.get(key);
    }

    /** Recomputes the routable list; called once at publication and on every health change. */
    public synchronized void refreshRoutable() {
        List<LiveTarget> healthy = new ArrayList<>(targets.size());
        for (LiveTarget target : targets) {
            if (!target.draining() && target.health().routable()) {
                healthy.add(target);
            }
        }
        boolean open = healthy.isEmpty() && !targets.isEmpty();
        if (open != failingOpen) {
            if (open) {
                LOG.warn("Target group {}: no healthy target, routing to all {} registered targets (fail open)",
                        spec.name(), targets.size());
            } else {
                LOG.info("Target group {}: {} healthy target(s), fail open ended", spec.name(), healthy.size());
            }
        }
        failingOpen = open;
        routable = open ? targets : List.copyOf(healthy);
    }

    /**
     * Picks a target for a request, skipping {@code avoid} (a target that already failed this request)
     * when another is available. Returns null when the group has no registered target.
     */
    LiveTarget pick(LiveTarget avoid) {
        return pick(avoid, false, 0L);
    }

    /**
     * Picks a target for a TCP connection whose 5-tuple hashes to {@code flowHash} (used by
     * {@code flow_hash}), skipping {@code avoid} when another is available; null when the group has no
     * registered target.
     */
    public LiveTarget pickForFlow(long flowHash, LiveTarget avoid) {
        return pick(avoid, true, flowHash);
    }

    private LiveTarget pick(LiveTarget avoid, boolean flow, long flowHash) {
        List<LiveTarget> candidates = routable;
        if (candidates.isEmpty()) {
            return null;
        }
        long now = slowStart ? TargetHealth.epochNanos(clock) : 0L;
        LiveTarget picked = flow ? balancer.pick(candidates, now, flowHash) : balancer.pick(candidates, now);
        if (picked == avoid && candidates.size() > 1) {
            int index = candidates.indexOf(picked);
            picked = candidates.get((index + 1) % candidates.size());
        }
        return picked;
    }
}
