package io.fulcrum.health;

import java.util.Locale;

/** The state of a target in its target group, named as ALB's DescribeTargetHealth names it. */
public enum TargetState {
    /** Registered; the first health checks are still running. */
    INITIAL,
    /** Passed the health checks; gets traffic. */
    HEALTHY,
    /** Failed the active checks, or was ejected by passive signals. */
    UNHEALTHY,
    /** The target group is not used by any listener, so the target is not checked. */
    UNUSED,
    /** Deregistered; finishes its in-flight requests and gets no new ones. */
    DRAINING;

    private final String configName = name().toLowerCase(Locale.ROOT);

    /** The lower-case name ALB shows: {@code initial}, {@code healthy}, {@code unhealthy}, ... */
    public String configName() {
        return configName;
    }
}
