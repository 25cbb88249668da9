package io.fulcrum.proxy;

import io.fulcrum.balancing.Balancer;
import io.fulcrum.health.PassiveHealth;
import io.fulcrum.health.TargetHealth;
import io.fulcrum.model.TargetGroup;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private final boolean slowStart;
    private volatile List<LiveTarget> routable = List.of();
    private volatile boolean failingOpen;

    public LiveTargetGroup(TargetGroup spec, List<LiveTarget> targets, Balancer balancer, PassiveHealth passive, Clock clock) {
        this.spec = spec;
        this.passive = passive;
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

    /** Registered (not draining) targets. */
    public List<LiveTarget> targets() {
        return targets;
    }

    /** Passive health accounting of this group (connect failures and resets). */
    PassiveHealth passive() {
        return passive;
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
        List<LiveTarget> candidates = routable;
        if (candidates.isEmpty()) {
            return null;
        }
        long now = slowStart ? TargetHealth.epochNanos(clock) : 0L;
        LiveTarget picked = balancer.pick(candidates, now);
        if (picked == avoid && candidates.size() > 1) {
            int index = candidates.indexOf(picked);
            picked = candidates.get((index + 1) % candidates.size());
        }
        return picked;
    }
}
