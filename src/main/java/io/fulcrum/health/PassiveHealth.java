package io.fulcrum.health;

import static java.util.Objects.requireNonNull;

import io.fulcrum.model.TargetGroupAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive health of one target group: the proxy reports each connection to a target that failed
 * (refused, reset, connect timeout) or worked, and {@code passiveUnhealthyThreshold} failures in a row
 * eject a healthy target (unhealthy, {@code Target.FailedHealthChecks}, described as passive).
 *
 * <p>Passive signals never eject more than half of the group's targets at once: a burst of errors from a
 * shared cause (the network, the proxy itself) must not empty the group. Only the active checks bring an
 * ejected target back, after {@code healthyThreshold} successes; with checks disabled, the checker
 * re-admits it after one interval. Targets in other states than healthy are not ejected.
 *
 * <p>The request path is lock-free: a success is one volatile read (a write only when failures were
 * counted), a failure one atomic increment. The rare ejection decision scans the group's targets.
 */
public final class PassiveHealth {
    private static final Logger LOG = LoggerFactory.getLogger(PassiveHealth.class);

    private final String targetGroupName;
    private final Set<TargetHealth> targets = ConcurrentHashMap.newKeySet();
    /** One ejection decision at a time, so two cannot both pass the half-of-group cap; losers just skip. */
    private final AtomicBoolean deciding = new AtomicBoolean();
    private volatile int unhealthyThreshold;

    /**
     * @param unhealthyThreshold consecutive failures that eject a target; 0 or less turns passive
     *                           ejection off
     */
    public PassiveHealth(String targetGroupName, int unhealthyThreshold) {
        this.targetGroupName = requireNonNull(targetGroupName, "targetGroupName");
        this.unhealthyThreshold = unhealthyThreshold;
    }

    /** Passive health with the group's {@code passiveUnhealthyThreshold}. */
    public PassiveHealth(String targetGroupName, TargetGroupAttributes attributes) {
        this(targetGroupName, requireNonNull(attributes, "attributes").passiveUnhealthyThreshold());
    }

    /** Counts {@code target} as a member of the group (for the half-of-group cap). */
    public void add(TargetHealth target) {
        targets.add(requireNonNull(target, "target"));
    }

    /** No longer counts {@code target}; its signals are then ignored. */
    public void remove(TargetHealth target) {
        targets.remove(target);
    }

    /** A new threshold, e.g. after a config reload. */
    public void setUnhealthyThreshold(int unhealthyThreshold) {
        this.unhealthyThreshold = unhealthyThreshold;
    }

    public int unhealthyThreshold() {
        return unhealthyThreshold;
    }

    /** Members of the group. */
    public int targetCount() {
        return targets.size();
    }

    /** Members that passive signals currently hold unhealthy. */
    public int ejectedCount() {
        int ejected = 0;
        for (TargetHealth t : targets) {
            HealthStatus s = t.status();
            if (s.passive() && s.state() == TargetState.UNHEALTHY) {
                ejected++;
            }
        }
        return ejected;
    }

    /** A connection to {@code target} worked: its consecutive failures start again from zero. */
    public void recordSuccess(TargetHealth target) {
        if (target.passiveFailures.get() != 0) { // read first: no shared write on the common path
            target.passiveFailures.set(0);
        }
    }

    /** A connection to {@code target} was refused, reset or timed out. */
    public void recordFailure(TargetHealth target) {
        int threshold = unhealthyThreshold;
        int failures = target.passiveFailures.incrementAndGet();
        // Decide at the threshold, and again every threshold failures while the cap holds it back.
        if (threshold <= 0 || failures < threshold || failures % threshold != 0) {
            return;
        }
        HealthStatus current = target.status();
        if (current.state() != TargetState.HEALTHY || !targets.contains(target)) {
            return;
        }
        if (!deciding.compareAndSet(false, true)) {
            return;
        }
        try {
            int ejected = ejectedCount();
            int members = targets.size();
            if ((ejected + 1) * 2 > members) {
                LOG.warn("Target {} in target group {}: {} consecutive connection failures, but not ejected: "
                        + "{} of {} targets are already ejected by passive health (at most half may be)",
                        target.target(), targetGroupName, failures, ejected, members);
                return;
            }
            HealthStatus ejectedStatus = new HealthStatus(TargetState.UNHEALTHY, ReasonCodes.FAILED_HEALTH_CHECKS,
                    "Passive: " + failures + " consecutive connection failures", true);
            if (target.transition(current, ejectedStatus)) {
                target.passiveFailures.set(0);
            }
        } finally {
            deciding.set(false);
        }
    }
}
