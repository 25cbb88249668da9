package io.fulcrum.health;

import io.fulcrum.model.HealthCheck;
import io.fulcrum.model.HealthCheckProtocol;
import io.fulcrum.model.StatusMatcher;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Shared helpers of the health tests: short-interval configs, event loops, a transition recorder. */
final class Checks {
    static final Duration INTERVAL = Duration.ofMillis(200);
    static final Duration TIMEOUT = Duration.ofMillis(150);

    private Checks() {
    }

    static HealthCheck http(int healthyThreshold, int unhealthyThreshold) {
        return new HealthCheck(true, HealthCheckProtocol.HTTP, "/health", HealthCheck.TRAFFIC_PORT, INTERVAL,
                TIMEOUT, healthyThreshold, unhealthyThreshold, StatusMatcher.DEFAULT);
    }

    static HealthCheck tcp(int healthyThreshold, int unhealthyThreshold) {
        return new HealthCheck(true, HealthCheckProtocol.TCP, null, HealthCheck.TRAFFIC_PORT, INTERVAL,
                TIMEOUT, healthyThreshold, unhealthyThreshold, null);
    }

    static EventLoopGroup eventLoops() {
        return new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    static void shutdown(EventLoopGroup group) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One observed state change, with the counts seen when it happened (on the checker's event loop). */
    record Seen(TargetState from, TargetState to, HealthStatus status, long probes, int answered200,
                int answered503) {
    }

    /** Records every state change of {@code health} with the probe and answer counts at that moment. */
    static List<Seen> record(TargetHealth health, HealthChecker checker, String host, int port,
                             TestBackend backend) {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        health.addListener(c -> seen.add(new Seen(c.previous().state(), c.current().state(), c.current(),
                checker.probesSent(host, port), backend.answered(200), backend.answered(503))));
        return seen;
    }

    static Seen last(List<Seen> seen) {
        return seen.get(seen.size() - 1);
    }
}
