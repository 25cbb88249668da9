package io.fulcrum.health;

import java.util.Objects;

/**
 * The pure state machine of the active checks: consecutive successes and failures against the healthy
 * and unhealthy thresholds, as ALB counts them. Not thread-safe: one checker event loop owns it.
 *
 * <ul>
 *   <li>initial or unhealthy, {@code healthyThreshold} successes in a row: healthy;</li>
 *   <li>initial or healthy, {@code unhealthyThreshold} failures in a row: unhealthy, with the reason and
 *       description of the latest failure;</li>
 *   <li>unhealthy and failing: stays unhealthy, the reason follows the latest failure (a passive ejection
 *       keeps its passive reason until {@code unhealthyThreshold} active failures confirm it);</li>
 *   <li>draining and unused: untouched (the control side owns them).</li>
 * </ul>
 */
final class ActiveThresholds {
    private int successes;
    private int failures;

    /** Forget the counted results: the state was changed by someone else, or the config changed. */
    void reset() {
        successes = 0;
        failures = 0;
    }

    int successes() {
        return successes;
    }

    int failures() {
        return failures;
    }

    /** The status after {@code result}; {@code current} itself when nothing changes. */
    HealthStatus next(HealthStatus current, ProbeResult result, int healthyThreshold, int unhealthyThreshold) {
        TargetState state = current.state();
        if (state == TargetState.DRAINING || state == TargetState.UNUSED) {
            reset();
            return current;
        }
        if (result.success()) {
            failures = 0;
            successes++;
            if (state != TargetState.HEALTHY && successes >= healthyThreshold) {
                return HealthStatus.HEALTHY;
            }
            return current;
        }
        successes = 0;
        failures++;
        if (state == TargetState.UNHEALTHY) {
            if (current.passive()) {
                // Ejected by passive signals; once the active checks fail too, they own the reason.
                return failures >= unhealthyThreshold ? unhealthy(result) : current;
            }
            // Keep showing the latest failure, as ALB does, but without a state change.
            return sameFailure(current, result) ? current : unhealthy(result);
        }
        return failures >= unhealthyThreshold ? unhealthy(result) : current;
    }

    private static boolean sameFailure(HealthStatus current, ProbeResult result) {
        return result.outcome().reason().equals(current.reason())
                && Objects.equals(result.description(), current.description());
    }

    private static HealthStatus unhealthy(ProbeResult result) {
        return new HealthStatus(TargetState.UNHEALTHY, result.outcome().reason(), result.description());
    }
}
