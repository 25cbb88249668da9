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
 */
public record AutoScalingSettings(Duration tickInterval, Duration launchBackoff, Duration maxLaunchBackoff,
                                  int activityHistory) {
    /** Ticks of 250 ms (health is read on each), back-off from 1 s to 5 min, the last 100 activities. */
    public static final AutoScalingSettings DEFAULTS = new AutoScalingSettings(Duration.ofMillis(250),
            Duration.ofSeconds(1), Duration.ofMinutes(5), 100);

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
        if (activityHistory < 1) {
            throw new IllegalArgumentException("activityHistory: " + activityHistory + " (expected: 1 or more)");
        }
    }
}
