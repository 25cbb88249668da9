package io.fulcrum.model;

import java.time.Duration;

/** Writes a duration the way the config does (30s, 500ms, 7d), so messages quote what the user wrote. */
public final class DurationText {
    private DurationText() {
    }

    /** The duration in the largest unit that states it exactly (90s stays 90s, 120s is 2m); "missing" for null. */
    public static String format(Duration duration) {
        if (duration == null) {
            return "missing";
        }
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.getNano() % 1_000_000 != 0) {
            return duration.toString();
        }
        long ms = duration.toMillis();
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
