package io.fulcrum.model;

import java.time.Duration;

/** Target stickiness: the balancer's own cookie pins a client to a target for a duration. */
public record Stickiness(boolean enabled, String type, Duration duration) {
    public static final String LB_COOKIE = "lb_cookie";
    /** ALB's default lb_cookie duration: one day. */
    public static final Duration DEFAULT_DURATION = Duration.ofDays(1);
    public static final Duration MIN_DURATION = Duration.ofSeconds(1);
    public static final Duration MAX_DURATION = Duration.ofDays(7);
    public static final Stickiness OFF = new Stickiness(false, LB_COOKIE, DEFAULT_DURATION);
}
