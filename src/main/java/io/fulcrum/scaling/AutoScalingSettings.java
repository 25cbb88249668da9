package io.fulcrum.scaling;

import java.time.Duration;
import java.util.Objects;

/**
 * How auto scaling groups run (not what they hold, which is the config's).
 *
 * @param tickInterval how often a group compares its instances with its desired state; deaths and
 *     launches are acted on at once, between ticks
 * @param launchBackoff the wait after a failed launch, doubled after each further failure
 * @param maxLaunchBackoff the longest wait between two failed launches
 * @param activityHistory how many scaling activities each group keeps in memory
 * @param policyInterval how often scaling policies read their metric and may change desired capacity
 */
public record AutoScalingSettings(Duration tickInterval, Duration launchBackoff, Duration maxLaunchBackoff,
                                  int activityHistory, Duration policyInterval) {
    /** Policies evaluate every 5 s: the balancer's counters are live, unlike CloudWatch's one-minute datapoints. */
    public static final Duration DEFAULT_POLICY_INTERVAL = Duration.ofSeconds(5);
    /** Ticks of 250 ms (health is read on each), back-off from 1 s to 5 min, the last 100 activities, policies every 5 s. */
    public static final AutoScalingSettings DEFAULTS = new AutoScalingSettings(Duration.ofMillis(250),
            Duration.ofSeconds(1), Duration.ofMinutes(5), 100, DEFAULT_POLICY_INTERVAL);

    /** Settings with policies evaluated every {@link #DEFAULT_POLICY_INTERVAL}. */
    public AutoScalingSettings(Duration tickInterval, Duration launchBackoff, Duration maxLaunchBackoff,
                               int activityHistory) {
        this(tickInterval, launchBackoff, maxLaunchBackoff, activityHistory, DEFAULT_POLICY_INTERVAL);
    }

    public AutoScalingSettings {
        Objects.requireNonNull(tickInterval, "tickInterval");
        Objects.requireNonNull(launchBackoff, "launchBackoff");
        Objects.requireNonNull(maxLaunchBackoff, "maxLaunchBackoff");
        if (tickInterval.toMillis() < 1) {
            throw new IllegalArgumentException("tickInterval: " + tickInterval + " (expected: 1ms or more)");
        }
        if (launchBackoff.isNegative() || maxLaunchBackoff.compareTo(launchBackoff) < 0) {
            throw new IllegalArgumentException("launchBackoff: " + launchBackoff + ", maxLaunchBackoff: "
                    + maxLaunchBackoff + " (expected: 0 <= launchBackoff <= maxLaunchBackoff)");
        }
        Objects.requireNonNull(policyInterval, "policyInterval");
        if (policyInterval.toMillis() < 1) {
            throw new IllegalArgumentException("policyInterval: " + policyInterval + " (expected: 1ms or more)");
        }
        if (activityHistory < 1) {
            throw new IllegalArgumentException("activityHistory: " + activityHistory + " (expected: 1 or more)");
        }
    }
}
