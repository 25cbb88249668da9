package io.fulcrum.model;

import java.time.Duration;

/**
 * Client-side attributes of a load balancer.
 *
 * @param idleTimeout an idle keep-alive client connection is closed silently after this (ALB: 60 s)
 * @param clientHeaderTimeout the whole request head must arrive within this, or 408 and close (slowloris)
 * @param accessLog where and whether each request is logged (off by default)
 */
public record LoadBalancerAttributes(Duration idleTimeout, Duration clientHeaderTimeout, AccessLogSettings accessLog) {
    /** ALB's idle timeout. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** Long enough for a slow mobile client, short enough that a slowloris holds few slots. */
    public static final Duration DEFAULT_CLIENT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final LoadBalancerAttributes DEFAULTS =
            new LoadBalancerAttributes(DEFAULT_IDLE_TIMEOUT, DEFAULT_CLIENT_HEADER_TIMEOUT);

    public LoadBalancerAttributes {
        if (accessLog == null) {
            accessLog = AccessLogSettings.OFF;
        }
    }

    /** Attributes with the access log off. */
    public LoadBalancerAttributes(Duration idleTimeout, Duration clientHeaderTimeout) {
        this(idleTimeout, clientHeaderTimeout, AccessLogSettings.OFF);
    }
}
