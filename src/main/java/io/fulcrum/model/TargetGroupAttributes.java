package io.fulcrum.model;

import java.time.Duration;

/**
 * Target group attributes.
 *
 * @param deregistrationDelay how long a removed target may finish its requests (ALB: 300 s, 0..3600 s)
 * @param slowStart ramp-up of a newly healthy target's share: 0 (off) or 30..900 s
 * @param targetResponseTimeout no response head within this after the request was sent: 504
 * @param connectTimeout a target that does not accept within this: try another, then 504 (ALB: 10 s)
 * @param maxConnectionsPerTarget concurrent requests per target, 0 for no limit (HAProxy's maxconn)
 * @param maxQueue requests waiting for a free slot of a group at maxconn; beyond it, 503
 * @param queueTimeout a queued request that gets no slot within this is answered 503
 * @param passiveUnhealthyThreshold consecutive connect failures or resets that mark a target unhealthy
 * @param proxyProtocolV2 TCP groups: each connection to a target starts with a Proxy Protocol v2 header
 *                        carrying the client's address (NLB's {@code proxy_protocol_v2.enabled})
 * @param verifyTargetCertificate HTTPS groups only: check the target's certificate against the system's
 *     trusted authorities and its name; off by default, as ALB never verifies target certificates
 */
public record TargetGroupAttributes(Algorithm algorithm, Duration deregistrationDelay, Duration slowStart,
                                    Duration targetResponseTimeout, Duration connectTimeout,
                                    Stickiness stickiness, int maxConnectionsPerTarget, int maxQueue,
                                    Duration queueTimeout, int passiveUnhealthyThreshold, boolean proxyProtocolV2,
                                    boolean verifyTargetCertificate) {
    public static final Duration DEFAULT_DEREGISTRATION_DELAY = Duration.ofSeconds(300);
    public static final Duration MAX_DEREGISTRATION_DELAY = Duration.ofSeconds(3600);
    public static final Duration MIN_SLOW_START = Duration.ofSeconds(30);
    public static final Duration MAX_SLOW_START = Duration.ofSeconds(900);
    /** ALB uses the idle timeout (60 s) as its target response limit. */
    public static final Duration DEFAULT_TARGET_RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_QUEUE = 1_000;
    public static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_PASSIVE_UNHEALTHY_THRESHOLD = 5;

    public static final TargetGroupAttributes DEFAULTS = new TargetGroupAttributes(Algorithm.ROUND_ROBIN,
            DEFAULT_DEREGISTRATION_DELAY, Duration.ZERO, DEFAULT_TARGET_RESPONSE_TIMEOUT,
            DEFAULT_CONNECT_TIMEOUT, Stickiness.OFF, 0, DEFAULT_MAX_QUEUE, DEFAULT_QUEUE_TIMEOUT,
            DEFAULT_PASSIVE_UNHEALTHY_THRESHOLD, false, false);

    /** Attributes without Proxy Protocol or target certificate verification (the defaults). */
    public TargetGroupAttributes(Algorithm algorithm, Duration deregistrationDelay, Duration slowStart,
                                 Duration targetResponseTimeout, Duration connectTimeout,
                                 Stickiness stickiness, int maxConnectionsPerTarget, int maxQueue,
                                 Duration queueTimeout, int passiveUnhealthyThreshold) {
        this(algorithm, deregistrationDelay, slowStart, targetResponseTimeout, connectTimeout, stickiness,
                maxConnectionsPerTarget, maxQueue, queueTimeout, passiveUnhealthyThreshold, false, false);
    }
}
