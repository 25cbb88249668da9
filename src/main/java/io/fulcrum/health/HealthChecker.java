package io.fulcrum.health;

import static java.util.Objects.requireNonNull;

import io.fulcrum.model.HealthCheck;
import io.fulcrum.model.HealthCheckProtocol;
import io.fulcrum.tls.TargetTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ReflectiveChannelFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the active health checks of one target group's targets on a Netty event loop group.
 *
 * <p>No thread per target: each target is pinned to one event loop of the group, and its probes are
 * scheduled there, by one {@link ProbeSchedule} per loop that starts the probes due together. A new target is probed at once; after that every interval, each target at its own
 * random phase so the probes of a group spread over the interval. Each probe is bounded by the check's
 * timeout: an HTTP(S) {@code GET path} over a connection kept open between checks ({@link HttpCheck}
 * says why and how that keeps the check's meaning), a TCP connect, or a gRPC call on a fresh connection;
 * results move the target through {@link ActiveThresholds}.
 *
 * <p>When the check is disabled, targets are made healthy at once (ALB would show {@code unavailable},
 * {@code Target.HealthCheckDisabled}, but routing needs them routable), and every interval a target that
 * passive signals ejected, or that was marked initial again, is made healthy again, since no probe
 * would ever bring it back.
 *
 * <p>{@link #add}, {@link #remove}, {@link #update} and {@link #stop} may be called from any thread. The
 * host name of a target is resolved once, in {@link #add}, on the caller's thread, so that event loops
 * never wait for DNS. The event loop group belongs to the caller; {@link #stop} does not shut it down.
 */
public final class HealthChecker {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    private final EventLoopGroup group;
    private final String targetGroupName;
    private final Clock clock;
    private final Random random;
    private final ChannelFactory<? extends Channel> channelFactory;
    private final TcpProber tcpProber;
    private final GrpcProber grpcProber;
    private final Map<String, CheckedTarget> targets = new ConcurrentHashMap<>();
    /** One timer per event loop for the targets pinned to it. */
    private final Map<EventLoop, ProbeSchedule> schedules = new ConcurrentHashMap<>();
    private volatile HealthCheck config;
    private volatile boolean stopped;

    /**
     * A checker whose probes connect with channels from {@code channelFactory}.
     *
     * @param group the event loops that run the probes (e.g. the proxy's worker group)
     * @param channelFactory makes client channels of the group's transport (NIO, Epoll)
     * @param targetGroupName for logs
     * @param config the group's health check
     * @param clock stamps {@link #lastCheckedAt}
     * @param random spreads the probes over the interval; seed it in tests
     */
    public HealthChecker(EventLoopGroup group, ChannelFactory<? extends Channel> channelFactory,
                         String targetGroupName, HealthCheck config, Clock clock, Random random) {
        this.group = requireNonNull(group, "group");
        this.targetGroupName = requireNonNull(targetGroupName, "targetGroupName");
        this.config = requireNonNull(config, "config");
        this.clock = requireNonNull(clock, "clock");
        this.random = requireNonNull(random, "random");
        requireNonNull(channelFactory, "channelFactory");
        this.channelFactory = channelFactory;
        prepareTls(config);
        this.tcpProber = new TcpProber(channelFactory);
        this.grpcProber = new GrpcProber(channelFactory);
    }

    /** A checker with an unseeded random spread. */
    public HealthChecker(EventLoopGroup group, ChannelFactory<? extends Channel> channelFactory,
                         String targetGroupName, HealthCheck config, Clock clock) {
        this(group, channelFactory, targetGroupName, config, clock, new Random());
    }

    /** A checker whose probes use channels of {@code channelClass} (e.g. {@code NioSocketChannel.class}). */
    public HealthChecker(EventLoopGroup group, Class<? extends Channel> channelClass, String targetGroupName,
                         HealthCheck config, Clock clock) {
        this(group, new ReflectiveChannelFactory<>(requireNonNull(channelClass, "channelClass")),
                targetGroupName, config, clock);
    }

    /**
     * Starts checking {@code host:port} (the traffic port; the check's own port applies when set) and
     * probes it at once. Adding a target again with the same {@code health} does nothing; with another
     * one, replaces it.
     *
     * @throws IllegalStateException after {@link #stop}
     */
    public void add(String host, int port, TargetHealth health) {
        requireNonNull(host, "host");
        requireNonNull(health, "health");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
        if (stopped) {
            throw new IllegalStateException("health checker of target group " + targetGroupName + " is stopped");
        }
        String key = key(host, port);
        CheckedTarget existing = targets.get(key);
        if (existing != null && existing.health == health) {
            return;
        }
        EventLoop loop = group.next();
        CheckedTarget target = new CheckedTarget(host, port, health,
                schedules.computeIfAbsent(loop, ProbeSchedule::new), resolve(host));
        CheckedTarget replaced = targets.put(key, target);
        if (replaced != null) {
            replaced.cancel();
        }
        long phase = phase(config);
        target.execute(() -> target.start(true, phase));
    }

    /** Stops checking {@code host:port}; a probe in flight finishes but is not counted. */
    public void remove(String host, int port) {
        CheckedTarget target = targets.remove(key(host, port));
        if (target != null) {
            target.cancel();
        }
    }

    /**
     * Applies a new health check to every target: counting towards the thresholds restarts and probes are
     * rescheduled at new phases. States are kept.
     */
    public void update(HealthCheck newConfig) {
        HealthCheck old = config;
        config = requireNonNull(newConfig, "newConfig");
        prepareTls(newConfig);
        if (old.equals(newConfig)) {
            return;
        }
        LOG.info("Health check of target group {} changed: {}", targetGroupName, newConfig);
        for (CheckedTarget target : targets.values()) {
            long phase = phase(newConfig);
            target.execute(() -> target.start(false, phase));
        }
    }

    /** Stops every check. Does not shut down the event loop group. */
    /** TLS client contexts are slow to make: make them here, never on the event loop of a probe. */
    private static void prepareTls(HealthCheck check) {
        if (check.protocol() == HealthCheckProtocol.HTTPS) {
            TargetTls.shared();
        }
    }

    public void stop() {
        stopped = true;
        for (String key : targets.keySet()) {
            CheckedTarget target = targets.remove(key);
            if (target != null) {
                target.cancel();
            }
        }
    }

    /** Probes started for {@code host:port} since it was added; 0 when it is not checked. */
    public long probesSent(String host, int port) {
        CheckedTarget target = targets.get(key(host, port));
        return target == null ? 0 : target.probes.get();
    }

    /** The result of the latest finished probe of {@code host:port}; null if none yet or not checked. */
    public ProbeResult lastResult(String host, int port) {
        CheckedTarget target = targets.get(key(host, port));
        return target == null ? null : target.lastResult;
    }

    /** The health check in force. */
    public HealthCheck config() {
        return config;
    }

    public String targetGroupName() {
        return targetGroupName;
    }

    /** How many targets are checked. */
    public int size() {
        return targets.size();
    }

    /** When the latest probe of {@code host:port} finished, on the checker's clock; null if none yet. */
    public Instant lastCheckedAt(String host, int port) {
        CheckedTarget target = targets.get(key(host, port));
        return target == null ? null : target.lastCheckedAt;
    }

    private long phase(HealthCheck c) {
        return random.nextLong(Math.max(1, c.interval().toNanos()));
    }

    /**
     * When the second probe of a new target runs, given its phase in the interval: at the phase, or one
     * interval later when the phase would come less than half an interval after the immediate first probe.
     */
    static long secondProbeDelay(long phaseNanos, long intervalNanos) {
        return phaseNanos >= intervalNanos / 2 ? phaseNanos : phaseNanos + intervalNanos;
    }

    private static String key(String host, int port) {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    private InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            LOG.warn("Target {} of target group {}: unknown host; its health checks fail", host, targetGroupName);
            return null;
        }
    }

    /** One checked target; everything but {@link #probes}, {@link #lastResult} and {@link #removed} is confined to {@link #loop}. */
    private final class CheckedTarget extends ProbeSchedule.Entry implements HttpCheck.Listener {
        final String host;
        final int port;
        final TargetHealth health;
        final EventLoop loop;
        final ProbeSchedule schedule;
        final InetAddress address;
        final AtomicLong probes = new AtomicLong();
        final ActiveThresholds thresholds = new ActiveThresholds();
        volatile ProbeResult lastResult;
        volatile Instant lastCheckedAt;
        volatile boolean removed;
        HealthStatus lastSeen;
        boolean inFlight;
        /** Whether the schedule runs probes (checks enabled) or re-admits targets (disabled). */
        boolean probing;
        long intervalNanos;
        /** The config of the probe in flight. */
        HealthCheck probeConfig;
        /** The HTTP(S) check and its kept connection, made at the first such probe. */
        HttpCheck http;
        /** Address and Host header of the probed port, kept while the port stays the same. */
        int probedPort = -1;
        InetSocketAddress probedAddress;
        String probedHostPort;

        CheckedTarget(String host, int port, TargetHealth health, ProbeSchedule schedule, InetAddress address) {
            this.host = host;
            this.port = port;
            this.health = health;
            this.schedule = schedule;
            this.loop = schedule.loop();
            this.address = address;
        }

        void execute(Runnable task) {
            try {
                loop.execute(task);
            } catch (RejectedExecutionException e) {
                LOG.debug("Event loop shut down; health check of {} in {} not scheduled", host, targetGroupName);
            }
        }

        void cancel() {
            removed = true;
            execute(this::cancelPeriodic);
        }

        private void cancelPeriodic() {
            schedule.remove(this);
            if (http != null && removed) {
                http.close();
                http = null;
            }
        }

        /** (Re)starts the schedule; on the loop. */
        void start(boolean probeNow, long phase) {
            cancelPeriodic();
            if (removed) {
                return;
            }
            thresholds.reset();
            lastSeen = null;
            HealthCheck c = config;
            if (http != null && !inFlight) {
                http.close(); // a new check (path, port, protocol) starts on a new connection
            }
            long interval = Math.max(1, c.interval().toNanos());
            intervalNanos = interval;
            long now = System.nanoTime();
            if (!c.enabled()) {
                probing = false;
                admitWhileDisabled();
                schedule.add(this, now + interval);
                return;
            }
            probing = true;
            schedule.add(this, now + (probeNow ? secondProbeDelay(phase, interval) : phase));
            if (probeNow) {
                probe();
            }
        }

        /** The schedule says it is time: the next run keeps the phase (late runs are not caught up). */
        @Override
        void runDue(long nowNanos) {
            if (removed) {
                return;
            }
            long next = dueAt + intervalNanos;
            if (next - nowNanos <= 0) {
                next += ((nowNanos - next) / intervalNanos + 1) * intervalNanos;
            }
            schedule.again(this, next);
            if (probing) {
                probe();
            } else {
                admitWhileDisabled();
            }
        }

        private void admitWhileDisabled() {
            if (removed || config.enabled()) {
                return;
            }
            HealthStatus current = health.status();
            if (current.state() == TargetState.INITIAL || current.state() == TargetState.UNHEALTHY) {
                health.transition(current, HealthStatus.HEALTHY_CHECKS_DISABLED);
            }
        }

        private void probe() {
            HealthCheck c = config;
            if (removed || inFlight || !c.enabled()) {
                return; // a slow probe is never doubled: its deadline (timeout < interval) ends it first
            }
            inFlight = true;
            probes.incrementAndGet();
            probeConfig = c;
            int probePort = c.portFor(port);
            if (address == null) {
                onProbeResult(ProbeResult.error(ProbeOutcome.ERROR, "Health check failed: unknown host " + host));
                return;
            }
            if (probePort != probedPort) {
                probedPort = probePort;
                probedAddress = new InetSocketAddress(address, probePort);
                probedHostPort = key(host, probePort);
            }
            if (c.protocol() != HealthCheckProtocol.TCP && !c.grpc()) {
                if (http == null) {
                    http = new HttpCheck(schedule, channelFactory, this);
                }
                http.start(c, probedAddress, probedHostPort);
                return;
            }
            Prober prober = c.protocol() == HealthCheckProtocol.TCP ? tcpProber : grpcProber;
            prober.probe(loop, probedAddress, probedHostPort, c, this::onProbeResult);
        }

        @Override
        public void onProbeResult(ProbeResult result) {
            HealthCheck c = probeConfig;
            inFlight = false;
            lastResult = result;
            lastCheckedAt = clock.instant();
            if (removed) {
                return;
            }
            if (!result.success()) {
                LOG.debug("Health check of {} in target group {} failed: {}", health.target(), targetGroupName,
                        result);
            }
            HealthStatus current = health.status();
            if (current != lastSeen) {
                thresholds.reset(); // someone else changed the state: count afresh from it
            }
            HealthStatus next = thresholds.next(current, result, c.healthyThreshold(), c.unhealthyThreshold());
            if (health.transition(current, next)) {
                lastSeen = next;
            } else {
                thresholds.reset();
                lastSeen = health.status();
            }
        }
    }
}
