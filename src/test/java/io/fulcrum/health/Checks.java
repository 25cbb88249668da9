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
    static final Duration INTERVAL = Duration.ofMillis(250);
    /** Generous against a busy machine: a loopback probe takes about a millisecond. */
    static final Duration TIMEOUT = Duration.ofMillis(200);

    static {
        // Load the probe's classes before any deadline runs, so a cold JVM does not time out the first probe.
        io.netty.channel.embedded.EmbeddedChannel warmUp =
                new io.netty.channel.embedded.EmbeddedChannel(new io.netty.handler.codec.http.HttpClientCodec());
        warmUp.writeOutbound(new io.netty.handler.codec.http.DefaultFullHttpRequest(
                io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpMethod.GET, "/"));
        warmUp.writeInbound(io.netty.buffer.Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                java.nio.charset.StandardCharsets.ISO_8859_1));
        warmUp.finishAndReleaseAll();
    }

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

    /** Waits until the latest notice says {@code state} (the state itself is visible a moment earlier). */
    static void awaitNotice(List<Seen> seen, TargetState state) {
        org.awaitility.Awaitility.await().until(() -> !seen.isEmpty() && last(seen).to() == state);
    }

    static Seen last(List<Seen> seen) {
        return seen.get(seen.size() - 1);
    }
}
