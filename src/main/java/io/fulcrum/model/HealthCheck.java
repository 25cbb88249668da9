package io.fulcrum.model;

import java.time.Duration;

/**
 * Active health check of a target group, with ALB's defaults.
 *
 * @param port the port to probe, or 0 for the traffic port
 * @param path HTTP only: the path to GET (for a gRPC check, the method path to call)
 * @param grpc true for a GRPC group's HTTP check: a gRPC call over HTTP/2 whose grpc-status the matcher
 *             judges; not a key of its own in the config, it follows the group's protocolVersion
 */
public record HealthCheck(boolean enabled, HealthCheckProtocol protocol, String path, int port,
                          Duration interval, Duration timeout, int healthyThreshold,
                          int unhealthyThreshold, StatusMatcher matcher, boolean grpc) {
    public static final String DEFAULT_PATH = "/";
    /** ALB's default path of a gRPC health check. */
    public static final String DEFAULT_GRPC_PATH = "/AWS.ALB/healthcheck";
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
            DEFAULT_UNHEALTHY_THRESHOLD, StatusMatcher.DEFAULT, false);
    /** The defaults of a GRPC group: a call of ALB's health check path, healthy on grpc-status 12. */
    public static final HealthCheck GRPC_DEFAULTS = new HealthCheck(true, HealthCheckProtocol.HTTP, DEFAULT_GRPC_PATH,
            TRAFFIC_PORT, DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_HEALTHY_THRESHOLD,
            DEFAULT_UNHEALTHY_THRESHOLD, StatusMatcher.GRPC_DEFAULT, true);

    /** An HTTP/1.1 or TCP check. */
    public HealthCheck(boolean enabled, HealthCheckProtocol protocol, String path, int port, Duration interval,
                       Duration timeout, int healthyThreshold, int unhealthyThreshold, StatusMatcher matcher) {
        this(enabled, protocol, path, port, interval, timeout, healthyThreshold, unhealthyThreshold, matcher, false);
    }

    /** The port to probe for a target whose traffic port is {@code trafficPort}. */
    public int portFor(int trafficPort) {
        return port == TRAFFIC_PORT ? trafficPort : port;
    }
}
