package io.fulcrum.model;

import java.time.Duration;

/**
 * Active health check of a target group, with ALB's defaults.
 *
 * @param port the port to probe, or 0 for the traffic port
 * @param path HTTP only: the path to GET
 */
public record HealthCheck(boolean enabled, HealthCheckProtocol protocol, String path, int port,
                          Duration interval, Duration timeout, int healthyThreshold,
                          int unhealthyThreshold, StatusMatcher matcher) {
    public static final String DEFAULT_PATH = "/";
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_HEALTHY_THRESHOLD = 5;
    public static final int DEFAULT_UNHEALTHY_THRESHOLD = 2;
    /** Unlike ALB (5 s), fast detection is allowed: users want it and tests need it. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    public static final Duration MAX_INTERVAL = Duration.ofSeconds(300);
    public static final int MIN_THRESHOLD = 2;
    public static final int MAX_THRESHOLD = 10;
    /** The probe port meaning "the target's traffic port". */
    public static final int TRAFFIC_PORT = 0;

    public static final HealthCheck DEFAULTS = new HealthCheck(true, HealthCheckProtocol.HTTP, DEFAULT_PATH,
            TRAFFIC_PORT, DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_HEALTHY_THRESHOLD,
            DEFAULT_UNHEALTHY_THRESHOLD, StatusMatcher.DEFAULT);

    /** The port to probe for a target whose traffic port is {@code trafficPort}. */
    public int portFor(int trafficPort) {
        return port == TRAFFIC_PORT ? trafficPort : port;
    }
}
