package io.fulcrum.health;

import static java.util.Objects.requireNonNull;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live health of one target in one target group: thread-safe, and a read is one volatile load.
 *
 * <p>Writers are the active checker (one event loop), passive signals (any event loop) and the control
 * side (draining, unused, registered again). They swap a whole {@link HealthStatus} by compare-and-set,
 * so a reader never sees the state of one write with the reason of another. Draining and unused are set
 * only by the control side; checks and passive signals never move a target out of them.
 */
public final class TargetHealth {
    private static final Logger LOG = LoggerFactory.getLogger(TargetHealth.class);
    private static final VarHandle STATUS;

    static {
        try {
            STATUS = MethodHandles.lookup().findVarHandle(TargetHealth.class, "status", HealthStatus.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String targetGroupName;
    private final String target;
    private final Clock clock;
    private final List<Consumer<HealthChange>> listeners = new CopyOnWriteArrayList<>();
    /** Consecutive passive failures; reset by a passive success, by an ejection, and on becoming healthy. */
    final AtomicInteger passiveFailures = new AtomicInteger();

    @SuppressWarnings("unused") // written through STATUS
    private volatile HealthStatus status = HealthStatus.INITIAL;
    private volatile long healthySinceNanos = Long.MIN_VALUE;

    /**
     * A target in state initial.
     *
     * @param targetGroupName the group, for logs
     * @param target "host:port" as {@link io.fulcrum.model.Target#address()} writes it, for logs
     * @param clock the clock of {@link #healthySinceNanos()}
     */
    public TargetHealth(String targetGroupName, String target, Clock clock) {
        this.targetGroupName = requireNonNull(targetGroupName, "targetGroupName");
        this.target = requireNonNull(target, "target");
        this.clock = requireNonNull(clock, "clock");
    }

    /** A target in state initial, on the UTC system clock. */
    public TargetHealth(String targetGroupName, String target) {
        this(targetGroupName, target, Clock.systemUTC());
    }

    /** The current status; the one read the request path makes. */
    public HealthStatus status() {
        return status;
    }

    public TargetState state() {
        return status.state();
    }

    /** The ALB reason code, null when healthy. */
    public String reason() {
        return status.reason();
    }

    public String description() {
        return status.description();
    }

    /** True when the balancer may pick this target: it is healthy. */
    public boolean routable() {
        return status.state() == TargetState.HEALTHY;
    }

    /**
     * When the latest healthy period began, in nanoseconds since the epoch on this target's clock (see
     * {@link #epochNanos(Clock)}); {@link Long#MIN_VALUE} if never healthy. For slow start; meaningful while
     * the state is healthy (it is set just after the state turns healthy).
     */
    public long healthySinceNanos() {
        return healthySinceNanos;
    }

    public String targetGroupName() {
        return targetGroupName;
    }

    /** "host:port". */
    public String target() {
        return target;
    }

    /** Consecutive passive failures counted so far. */
    public int passiveFailures() {
        return passiveFailures.get();
    }

    /** The target was deregistered: draining, whatever its state was. */
    public void markDraining() {
        force(HealthStatus.DRAINING);
    }

    /** No listener uses the target's group: unused (from any state but draining). */
    public void markUnused() {
        HealthStatus current;
        do {
            current = status;
            if (current.state() == TargetState.DRAINING || current.state() == TargetState.UNUSED) {
                return;
            }
        } while (!transition(current, HealthStatus.UNUSED));
    }

    /**
     * The target is registered again, or its group is used again: back to initial, so it must pass the
     * health checks before it gets traffic. The checker restarts its threshold counting.
     */
    public void markInitial() {
        force(HealthStatus.INITIAL);
    }

    /**
     * Calls {@code listener} on every state change, on the thread that made it (an event loop or the
     * control thread): it must be quick and must not block. A change of reason alone is not reported.
     */
    public void addListener(Consumer<HealthChange> listener) {
        listeners.add(requireNonNull(listener, "listener"));
    }

    public void removeListener(Consumer<HealthChange> listener) {
        listeners.remove(listener);
    }

    /** Nanoseconds since the epoch on {@code clock}: the time base of {@link #healthySinceNanos()}. */
    public static long epochNanos(Clock clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private void force(HealthStatus next) {
        HealthStatus current;
        do {
            current = status;
            if (current.equals(next)) {
                return;
            }
        } while (!transition(current, next));
    }

    /**
     * Replaces {@code expected} by {@code next} if the status is still {@code expected} (same object);
     * logs and notifies on success. False when another writer got there first.
     */
    boolean transition(HealthStatus expected, HealthStatus next) {
        if (expected == next) {
            return true;
        }
        if (!STATUS.compareAndSet(this, expected, next)) {
            return false;
        }
        if (next.state() == expected.state()) {
            LOG.debug("Target {} in target group {}: still {}", target, targetGroupName, next);
            return true;
        }
        if (next.state() == TargetState.HEALTHY) {
            healthySinceNanos = epochNanos(clock);
            passiveFailures.set(0);
        }
        LOG.info("Target {} in target group {}: {} -> {}{}", target, targetGroupName,
                expected.state().configName(), next.state().configName(), why(next));
        HealthChange change = new HealthChange(this, expected, next);
        for (Consumer<HealthChange> listener : listeners) {
            try {
                listener.accept(change);
            } catch (RuntimeException e) {
                LOG.warn("Health listener of target {} in target group {} failed", target, targetGroupName, e);
            }
        }
        return true;
    }

    private static String why(HealthStatus s) {
        if (s.reason() == null) {
            return s.description() == null ? "" : " (" + s.description() + ")";
        }
        return " (" + s.reason() + ": " + s.description() + ")";
    }

    @Override
    public String toString() {
        return target + " in " + targetGroupName + ": " + status;
    }
}
