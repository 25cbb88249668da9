package io.fulcrum.server;

import io.fulcrum.accesslog.AccessLogWriter;
import io.fulcrum.balancing.Balancers;
import io.fulcrum.health.HealthChecker;
import io.fulcrum.health.PassiveHealth;
import io.fulcrum.health.TargetHealth;
import io.fulcrum.health.TargetState;
import io.fulcrum.metrics.FulcrumMetrics;
import io.fulcrum.metrics.LatencyHistogram;
import io.fulcrum.model.AccessLogSettings;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.Listener;
import io.fulcrum.model.HealthCheckProtocol;
import io.fulcrum.model.LoadBalancer;
import io.fulcrum.model.Protocol;
import io.fulcrum.model.Target;
import io.fulcrum.model.TargetGroup;
import io.fulcrum.proxy.HttpListener;
import io.fulcrum.proxy.ListenerBindException;
import io.fulcrum.proxy.ListenerRouting;
import io.fulcrum.proxy.ListenerSlot;
import io.fulcrum.proxy.LiveTarget;
import io.fulcrum.proxy.LiveTargetGroup;
import io.fulcrum.proxy.ProxyContext;
import io.fulcrum.proxy.ProxyCounters;
import io.fulcrum.proxy.Transport;
import io.fulcrum.routing.CompiledRules;
import io.fulcrum.scaling.ResponseTimeTotals;
import io.fulcrum.tcp.TcpListeners;
import io.fulcrum.udp.UdpListeners;
import io.fulcrum.tls.CertificateWatcher;
import io.fulcrum.tls.ServerTls;
import io.fulcrum.tls.SslPolicy;
import io.fulcrum.tls.TargetTls;
import io.fulcrum.tls.TlsMaterialException;
import io.netty.channel.EventLoopGroup;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Fulcrum: applies configs (the first at start, then each reload) to live listeners and
 * target groups. Applying is serialised; the data plane never waits for it.
 */
public final class FulcrumServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FulcrumServer.class);

    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ProxyContext context;
    private final Clock clock;
    private final Map<String, GroupRuntime> groups = new HashMap<>();
    private final Map<String, HttpListener> listeners = new LinkedHashMap<>();
    private final TcpListeners tcpListeners;
    private final UdpListeners udpListeners;
    /** Targets registered at run time (by auto scaling or the API), by group then address, beside the config's. */
    private final Map<String, Map<String, Target>> registered = new HashMap<>();
    /** Drains in progress by "group/address", for deregisterTarget's callers to wait on. */
    private final Map<String, CompletableFuture<Void>> drains = new java.util.concurrent.ConcurrentHashMap<>();
    private final FulcrumMetrics metrics;
    /** True when this server made its metrics, and so closes them at stop. */
    private final boolean ownsMetrics;
    /** The meters of each open listener, by "address:port", with the load balancer they are tagged with. */
    private final Map<String, ListenerMeters> listenerMeters = new HashMap<>();
    /** The same for the TCP and TLS listeners. */
    private final Map<String, ListenerMeters> flowListenerMeters = new HashMap<>();
    /** The same for the UDP listeners (a UDP listener may share its "address:port" with a TCP one). */
    private final Map<String, ListenerMeters> udpListenerMeters = new HashMap<>();
    /** The open access logs, by load balancer name. */
    private final Map<String, OpenAccessLog> accessLogs = new HashMap<>();
    private FulcrumConfig config;
    /** The desired-state revision in force; runtime registrations rebuild the routing under the same one. */
    private long revision;
    private boolean debugRevisionHeader;
    private boolean closed;
    /** How often certificate files are looked at for renewal. */
    private Duration certificatePollInterval = CertificateWatcher.DEFAULT_INTERVAL;
    private CertificateWatcher certificateWatcher;

    /**
     * @param eventLoops worker event loops (0: one per core)
     * @param stickinessSecret signs stickiness cookies; the same secret keeps them valid across restarts
     */
    public FulcrumServer(Transport transport, int eventLoops, byte[] stickinessSecret, Clock clock) {
        this(transport, eventLoops, stickinessSecret, clock, new FulcrumMetrics(), true);
    }

    /** @param metrics where the server binds its listeners', groups', targets' and access logs' meters */
    public FulcrumServer(Transport transport, int eventLoops, byte[] stickinessSecret, Clock clock,
                         FulcrumMetrics metrics) {
        this(transport, eventLoops, stickinessSecret, clock, metrics, false);
    }

    private FulcrumServer(Transport transport, int eventLoops, byte[] stickinessSecret, Clock clock,
                          FulcrumMetrics metrics, boolean ownsMetrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.ownsMetrics = ownsMetrics;
        this.transport = transport;
        this.clock = clock;
        this.boss = transport.newGroup(1, "fulcrum-accept");
        this.workers = transport.newGroup(eventLoops, "fulcrum-io");
        this.context = new ProxyContext(transport, workers, stickinessSecret, clock);
        this.tcpListeners = new TcpListeners(transport, boss, workers, clock);
        this.udpListeners = new UdpListeners(transport, workers, clock);
    }

    /** The TCP listeners (NLB-style), apart from the HTTP ones of {@link #listeners()}. */
    public TcpListeners tcpListeners() {
        return tcpListeners;
    }

    /** The UDP listeners (NLB-style). */
    public UdpListeners udpListeners() {
        return udpListeners;
    }

    /** The metrics (Prometheus text via {@link FulcrumMetrics#scrape()}), for the admin API's /metrics. */
    public FulcrumMetrics metrics() {
        return metrics;
    }

    /** How often certificate files are checked for changes (default 5 s); set before the first apply. */
    public synchronized void certificatePollInterval(Duration interval) {
        this.certificatePollInterval = java.util.Objects.requireNonNull(interval, "interval");
    }

    public ProxyCounters counters() {
        return context.counters();
    }

    public Transport transport() {
        return transport;
    }

    /**
     * Whether responses carry the {@value ListenerRouting#REVISION_HEADER} header naming the revision
     * whose snapshot routed them (a debugging aid, off by default); takes effect at the next apply.
     */
    public synchronized void debugRevisionHeader(boolean on) {
        this.debugRevisionHeader = on;
    }

    /** The desired-state revision in force (0 before any stored revision). */
    public synchronized long revision() {
        return revision;
    }

    /** The config in force. */
    public synchronized FulcrumConfig config() {
        return config;
    }

    /** The open listeners by "address:port". */
    public synchronized Map<String, HttpListener> listeners() {
        return Map.copyOf(listeners);
    }

    /** The live view of a target group (targets and their health), or null. */
    public synchronized LiveTargetGroup targetGroup(String name) {
        for (HttpListener listener : listeners.values()) {
            LiveTargetGroup group = listener.slot().routing().targetGroups().get(name);
            if (group != null) {
                return group;
            }
        }
        LiveTargetGroup tcpGroup = tcpListeners.targetGroup(name);
        if (tcpGroup != null) {
            return tcpGroup;
        }
        LiveTargetGroup udpGroup = udpListeners.targetGroup(name);
        if (udpGroup != null) {
            return udpGroup;
        }
        GroupRuntime runtime = groups.get(name);
        return runtime == null ? null : buildGroup(runtime);
    }

    /**
     * Applies a validated config: opens new listeners first (so a bind failure changes nothing), then
     * publishes the new routing to every listener, closes the listeners that are gone and drains the
     * targets that were removed.
     *
     * @throws ListenerBindException when a new listener cannot be bound; the running config stays
     */
    public synchronized void apply(FulcrumConfig next) throws ListenerBindException {
        apply(next, revision);
    }

    /**
     * Applies a validated config as desired-state revision {@code nextRevision}: every listener gets one
     * routing snapshot built from it, published with one volatile write, so each request is routed by
     * the rules and targets of one revision. Targets that stay keep their health and pooled connections;
     * removed ones drain with their group's deregistration delay.
     *
     * @throws ListenerBindException when a new listener cannot be bound; the running config stays
     */
    public synchronized void apply(FulcrumConfig next, long nextRevision) throws ListenerBindException {
        if (closed) {
            throw new IllegalStateException("server is closed");
        }
        Map<String, HttpListener> opened = new LinkedHashMap<>();
        Map<String, ListenerRouting> routings = new LinkedHashMap<>();
        Map<String, LiveTargetGroup> nextGroups = new HashMap<>();
        List<Runnable> commit = new ArrayList<>();
        prepareGroups(next, nextGroups, commit);
        String revisionHeader = debugRevisionHeader ? Long.toString(nextRevision) : null;
        prepareTargetTls(next);
        Map<String, ServerTls> tls = serverTls(next);
        for (LoadBalancer lb : next.loadBalancers()) {
            for (Listener listener : lb.listeners()) {
                if (listener.protocol() == Protocol.TCP || listener.protocol() == Protocol.TLS
                        || listener.protocol().carriesUdp()) {
                    continue; // tcpListeners' or udpListeners' own
                }
                String key = listener.addressKey();
                CompiledRules rules = CompiledRules.compile(listener.rules(), listener.defaultActions());
                routings.put(key, new ListenerRouting(lb, listener, rules, nextGroups, nextRevision, revisionHeader));
            }
        }
        TcpListeners.Update tcpUpdate = tcpListeners.prepare(next, nextGroups);
        UdpListeners.Update udpUpdate;
        try {
            udpUpdate = udpListeners.prepare(next, nextGroups);
        } catch (ListenerBindException e) {
            tcpUpdate.abort();
            throw e;
        }
        Map<String, OpenAccessLog> nextLogs = openAccessLogs(next);
        try {
            for (Map.Entry<String, ListenerRouting> entry : routings.entrySet()) {
                if (!listeners.containsKey(entry.getKey())) {
                    Listener listener = entry.getValue().listener();
                    ListenerSlot slot = new ListenerSlot(listener.bindAddress(), listener.port(), entry.getValue());
                    slot.accessLog(writer(nextLogs, entry.getValue().loadBalancer().name()));
                    opened.put(entry.getKey(), HttpListener.open(context, boss, slot, listener.maxConnections(),
                            tls.get(entry.getKey())));
                }
            }
        } catch (ListenerBindException e) {
            opened.values().forEach(HttpListener::close);
            tcpUpdate.abort();
            udpUpdate.abort();
            closeAccessLogsNotIn(nextLogs, accessLogs); // the logs this apply opened
            throw e;
        }
        commit.forEach(Runnable::run);
        Map<String, ServerTls> tcpTlsBefore = tcpListeners.serverTls();
        tcpUpdate.commit();
        udpUpdate.commit();
        watchTcpTls(tcpTlsBefore, tcpListeners.serverTls());
        for (Map.Entry<String, ListenerRouting> entry : routings.entrySet()) {
            HttpListener existing = listeners.get(entry.getKey());
            if (existing != null) {
                existing.slot().publish(entry.getValue());
                ServerTls previous = existing.tls();
                ServerTls current = tls.get(entry.getKey());
                if (previous != current) {
                    existing.tls(current); // new connections only: open ones keep what they negotiated
                    if (previous != null) {
                        certificateWatcher().unwatch(previous);
                    }
                }
            }
        }
        tls.values().forEach(t -> certificateWatcher().watch(t));
        for (Map.Entry<String, HttpListener> entry : opened.entrySet()) {
            listeners.put(entry.getKey(), entry.getValue());
            LOG.info("Listening on {} ({} listener of load balancer {}, {} transport)", entry.getKey(),
                    entry.getValue().slot().routing().listener().protocol(),
                    entry.getValue().slot().routing().loadBalancer().name(), transport.name());
        }
        for (String key : new ArrayList<>(listeners.keySet())) {
            if (!routings.containsKey(key)) {
                HttpListener gone = listeners.remove(key);
                if (gone.tls() != null) {
                    certificateWatcher().unwatch(gone.tls());
                }
                gone.close();
                LOG.info("Closed listener {}", key);
            }
        }
        for (Map.Entry<String, HttpListener> entry : listeners.entrySet()) {
            ListenerSlot slot = entry.getValue().slot();
            slot.accessLog(writer(nextLogs, slot.routing().loadBalancer().name()));
        }
        closeAccessLogsNotIn(accessLogs, nextLogs);
        accessLogs.clear();
        accessLogs.putAll(nextLogs);
        bindListenerMeters();
        bindFlowListenerMeters();
        bindUdpListenerMeters();
        this.config = next;
        this.revision = nextRevision;
    }

    /**
     * The TLS of each HTTPS listener of {@code next} by key: an open listener's own when its certificates
     * and policy are unchanged (re-applies for target changes must not re-read files), else loaded now.
     */
    private Map<String, ServerTls> serverTls(FulcrumConfig next) throws ListenerBindException {
        Map<String, ServerTls> result = new HashMap<>();
        for (LoadBalancer lb : next.loadBalancers()) {
            for (Listener listener : lb.listeners()) {
                if (listener.protocol() != Protocol.HTTPS) {
                    continue;
                }
                String key = listener.addressKey();
                HttpListener existing = listeners.get(key);
                ServerTls tls = existing == null ? null : existing.tls();
                if (tls == null || !tls.serves(listener.certificates(), listener.sslPolicy())) {
                    try {
                        // the listener's handshake failure count carries on across the change
                        tls = ServerTls.load(listener.certificates(), SslPolicy.byName(listener.sslPolicy()), clock,
                                ServerTls.Application.HTTP, tls);
                    } catch (TlsMaterialException | RuntimeException e) {
                        throw new ListenerBindException("cannot serve HTTPS on " + key + ": " + e.getMessage(), e);
                    }
                }
                result.put(key, tls);
            }
        }
        return result;
    }

    /** Watches the certificates of TLS listeners (NLB's) that serve new ones, and forgets those replaced or gone. */
    private void watchTcpTls(Map<String, ServerTls> before, Map<String, ServerTls> after) {
        for (ServerTls tls : after.values()) {
            certificateWatcher().watch(tls); // a set: watching one already watched changes nothing
        }
        for (Map.Entry<String, ServerTls> entry : before.entrySet()) {
            if (after.get(entry.getKey()) != entry.getValue()) {
                certificateWatcher().unwatch(entry.getValue());
            }
        }
    }

    /** Client TLS contexts are slow to make: made here, on the applying thread, never on an event loop. */
    private static void prepareTargetTls(FulcrumConfig next) {
        for (TargetGroup group : next.targetGroups()) {
            if (group.protocol() == Protocol.HTTPS || group.protocol() == Protocol.TLS
                    || group.healthCheck().protocol() == HealthCheckProtocol.HTTPS) {
                TargetTls.shared();
                return;
            }
        }
    }

    private CertificateWatcher certificateWatcher() {
        if (certificateWatcher == null) {
            certificateWatcher = new CertificateWatcher(certificatePollInterval);
        }
        return certificateWatcher;
    }

    /**
     * Registers a target in a group at run time, beside the targets the config lists (ELB's
     * RegisterTargets). It stays registered across reloads until deregistered. Idempotent.
     *
     * @throws IllegalArgumentException when the config has no such group
     */
    public synchronized void registerTarget(String groupName, Target target) {
        requireGroup(groupName);
        Target previous = registered.computeIfAbsent(groupName, g -> new LinkedHashMap<>()).put(target.address(), target);
        if (!target.equals(previous)) {
            reapply();
        }
    }

    /**
     * Deregisters a target registered at run time: it drains with the group's deregistration delay
     * (ELB's DeregisterTargets). Targets listed in the config itself are changed by editing the config.
     *
     * @return completes when the drain is over (no request in flight, or the delay has passed), so
     *     that whoever stops the target's process stops it only then; at once when it was not registered
     */
    public synchronized CompletableFuture<Void> deregisterTarget(String groupName, String address) {
        requireGroup(groupName);
        Map<String, Target> targets = registered.get(groupName);
        if (targets != null && targets.remove(address) != null) {
            reapply(); // drains the target, synchronously adding its drain to drains
        }
        CompletableFuture<Void> drained = drains.get(groupName + "/" + address);
        return drained == null ? CompletableFuture.completedFuture(null) : drained;
    }

    private void requireGroup(String groupName) {
        if (config == null || config.targetGroup(groupName) == null) {
            throw new IllegalArgumentException("targetGroupName: " + groupName + " (expected: a target group of the config)");
        }
    }

    /** Rebuilds the routing with the same config: only target sets change, so no listener is bound. */
    private void reapply() {
        try {
            apply(config);
        } catch (ListenerBindException e) {
            throw new IllegalStateException("a re-apply of the running config opened a listener", e);
        }
    }

    /**
     * Builds the next live target groups, reusing the targets (health, pooled connections) that stay.
     * Side effects on the running system (health checks started or stopped, drains) are queued into
     * {@code commit}, to run only once every listener could be opened.
     */
    private void prepareGroups(FulcrumConfig next, Map<String, LiveTargetGroup> out, List<Runnable> commit) {
        Map<String, GroupRuntime> kept = new HashMap<>();
        java.util.Set<String> used = usedTargetGroups(next);
        for (TargetGroup spec : next.targetGroups()) {
            boolean inUse = used.contains(spec.name());
            GroupRuntime old = groups.get(spec.name());
            GroupRuntime runtime = old != null ? old : newGroupRuntime(spec);
            GroupRuntime finalRuntime = runtime;
            kept.put(spec.name(), runtime);
            Map<String, Target> wanted = new LinkedHashMap<>();
            for (Target target : spec.targets()) {
                wanted.put(target.address(), target);
            }
            for (Target target : registered.getOrDefault(spec.name(), Map.of()).values()) {
                wanted.putIfAbsent(target.address(), target);
            }
            Map<String, LiveTarget> nextTargets = new LinkedHashMap<>();
            List<LiveTarget> added = new ArrayList<>();
            boolean slowStart = !spec.attributes().slowStart().isZero();
            for (Target target : wanted.values()) {
                LiveTarget live = runtime.targets.get(target.address());
                if (live == null || live.draining()) {
                    live = new LiveTarget(spec.name(), target,
                            new TargetHealth(spec.name(), target.address(), clock), slowStart);
                    added.add(live);
                }
                nextTargets.put(target.address(), live);
            }
            List<LiveTarget> removed = new ArrayList<>();
            for (Map.Entry<String, LiveTarget> entry : runtime.targets.entrySet()) {
                if (nextTargets.get(entry.getKey()) != entry.getValue()) {
                    removed.add(entry.getValue());
                }
            }
            TargetGroup previousSpec = runtime.spec;
            boolean balancerChanged = previousSpec == null
                    || previousSpec.attributes().algorithm() != spec.attributes().algorithm()
                    || !previousSpec.attributes().slowStart().equals(spec.attributes().slowStart());
            var balancer = balancerChanged
                    ? Balancers.create(spec.attributes().algorithm(), spec.attributes().slowStart(),
                            ThreadLocalRandom::current)
                    : runtime.balancer;
            List<LiveTarget> liveList = new ArrayList<>(nextTargets.values());
            LiveTargetGroup group = new LiveTargetGroup(runtime.stats, spec, liveList, balancer, runtime.passive,
                    runtime.queue, clock);
            out.put(spec.name(), group);
            commit.add(() -> {
                if (previousSpec != null && !Objects.equals(previousSpec.healthCheck(), spec.healthCheck())) {
                    finalRuntime.checker.update(spec.healthCheck());
                }
                finalRuntime.passive.setUnhealthyThreshold(spec.attributes().passiveUnhealthyThreshold());
                finalRuntime.spec = spec;
                finalRuntime.balancer = balancer;
                for (LiveTarget target : removed) {
                    finalRuntime.targets.remove(target.key());
                    drain(finalRuntime, target, spec.attributes().deregistrationDelay());
                }
                for (LiveTarget target : liveList) {
                    target.attach(group, wanted.get(target.key()).weight());
                    finalRuntime.targets.put(target.key(), target);
                }
                for (LiveTarget target : added) {
                    finalRuntime.passive.add(target.health());
                }
                for (LiveTarget target : liveList) {
                    String host = target.address().getHostString();
                    int port = target.address().getPort();
                    if (inUse) {
                        if (target.health().state() == io.fulcrum.health.TargetState.UNUSED) {
                            target.health().markInitial();
                        }
                        finalRuntime.checker.add(host, port, target.health()); // no-op when already checked
                    } else {
                        // ALB: a group no listener forwards to has its targets "unused", and does not check them
                        finalRuntime.checker.remove(host, port);
                        target.health().markUnused();
                    }
                }
                group.refreshRoutable();
                finalRuntime.live = group;
                if (finalRuntime.binding == null) {
                    finalRuntime.binding = metrics.bindTargetGroup(spec.name(), finalRuntime.stats,
                            () -> countState(finalRuntime.live, TargetState.HEALTHY),
                            () -> countState(finalRuntime.live, TargetState.UNHEALTHY));
                }
                for (LiveTarget target : added) {
                    finalRuntime.targetBindings.put(target, metrics.bindTarget(spec.name(), target.key(),
                            target.stats(), target::outstandingRequests,
                            () -> target.health().state() == TargetState.HEALTHY));
                }
            });
        }
        for (GroupRuntime old : groups.values()) {
            if (!kept.containsKey(old.name)) {
                commit.add(() -> {
                    Duration delay = old.spec.attributes().deregistrationDelay();
                    for (LiveTarget target : old.targets.values()) {
                        drain(old, target, delay);
                    }
                    old.targets.clear();
                    if (old.binding != null) {
                        old.binding.close();
                    }
                    workers.schedule(old.checker::stop, delay.toMillis(), TimeUnit.MILLISECONDS);
                });
            }
        }
        commit.add(() -> {
            groups.clear();
            groups.putAll(kept);
            registered.keySet().retainAll(kept.keySet()); // a group that left takes its registrations along
        });
    }

    /** Names of the target groups some listener's rule or default action forwards to. */
    private static java.util.Set<String> usedTargetGroups(FulcrumConfig config) {
        java.util.Set<String> used = new java.util.HashSet<>();
        for (LoadBalancer lb : config.loadBalancers()) {
            for (Listener listener : lb.listeners()) {
                List<io.fulcrum.model.Action> actions = new ArrayList<>(listener.defaultActions());
                listener.rules().forEach(rule -> actions.addAll(rule.actions()));
                for (io.fulcrum.model.Action action : actions) {
                    if (action instanceof io.fulcrum.model.ForwardAction forward) {
                        forward.targetGroups().forEach(weighted -> used.add(weighted.targetGroupName()));
                    }
                }
            }
        }
        return used;
    }

    private GroupRuntime newGroupRuntime(TargetGroup spec) {
        HealthChecker checker = new HealthChecker(workers, transport.channelClass(), spec.name(), spec.healthCheck(),
                clock);
        return new GroupRuntime(spec.name(), checker, new PassiveHealth(spec.name(), spec.attributes()));
    }

    /**
     * Requests forwarded to a target group since it was configured (kept across reloads), or 0 when
     * no such group is configured. Read by the scaling policies; never on the request path.
     */
    public synchronized long requestCount(String targetGroupName) {
        GroupRuntime runtime = groups.get(targetGroupName);
        return runtime == null ? 0 : runtime.requests.sum();
    }

    /**
     * Target responses of a target group since it was configured and their response times added up
     * (kept across reloads), or none when no such group is configured. Read by the scaling policies
     * (ALBTargetResponseTime); never on the request path.
     */
    public synchronized ResponseTimeTotals responseTime(String targetGroupName) {
        GroupRuntime runtime = groups.get(targetGroupName);
        if (runtime == null) {
            return ResponseTimeTotals.NONE;
        }
        LatencyHistogram histogram = runtime.stats.responseTime();
        return new ResponseTimeTotals(histogram.count(), histogram.sumNanos());
    }

    /** A snapshot-independent view of a group, for callers that ask about a group no listener uses. */
    private LiveTargetGroup buildGroup(GroupRuntime runtime) {
        LiveTargetGroup group = new LiveTargetGroup(runtime.stats, runtime.spec,
                new ArrayList<>(runtime.targets.values()), runtime.balancer, runtime.passive, runtime.queue, clock);
        group.refreshRoutable();
        return group;
    }

    /**
     * Deregisters a target: no new requests from now on; requests in flight finish; its connections
     * are closed once it is idle or the deregistration delay has passed, whichever comes first.
     */
    private void drain(GroupRuntime runtime, LiveTarget target, Duration delay) {
        String drainKey = runtime.name + "/" + target.key();
        CompletableFuture<Void> drained = new CompletableFuture<>();
        drains.put(drainKey, drained);
        drained.whenComplete((ignored, error) -> drains.remove(drainKey, drained));
        FulcrumMetrics.Binding meters = runtime.targetBindings.remove(target);
        if (meters != null) {
            drained.whenComplete((ignored, error) -> meters.close()); // its last responses still count
        }
        target.markDraining();
        runtime.checker.remove(target.address().getHostString(), target.address().getPort());
        runtime.passive.remove(target.health());
        context.purge(target);
        long deadline = System.nanoTime() + delay.toNanos();
        LOG.info("Target {} in target group {}: draining (deregistration delay {})", target.key(), runtime.name, delay);
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            if (target.outstandingRequests() == 0 || System.nanoTime() - deadline >= 0) {
                target.closeConnections();
                LOG.info("Target {} in target group {}: deregistered ({} requests cut at the deadline)",
                        target.key(), runtime.name, target.outstandingRequests());
                drained.complete(null);
                return;
            }
            workers.schedule(check[0], 100, TimeUnit.MILLISECONDS);
        };
        workers.execute(check[0]);
    }

    /**
     * Stops: listeners close at once, requests in flight get up to {@code grace} to finish, then every
     * connection and health check is stopped.
     */
    public void stop(Duration grace) {
        List<HttpListener> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(listeners.values());
            listeners.clear();
            if (certificateWatcher != null) {
                certificateWatcher.close();
            }
        }
        open.forEach(HttpListener::close);
        tcpListeners.close();
        udpListeners.close();
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline && open.stream().anyMatch(l -> l.openConnections() > 0)) {
            if (open.stream().allMatch(l -> l.slot().routing().targetGroups().values().stream()
                    .flatMap(g -> g.targets().stream()).allMatch(t -> t.outstandingRequests() == 0))) {
                break; // only idle keep-alive connections remain
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        synchronized (this) {
            for (GroupRuntime runtime : groups.values()) {
                runtime.checker.stop();
                runtime.targets.values().forEach(LiveTarget::closeConnections);
                runtime.targetBindings.values().forEach(FulcrumMetrics.Binding::close);
                runtime.targetBindings.clear();
                if (runtime.binding != null) {
                    runtime.binding.close();
                }
            }
            listenerMeters.values().forEach(meters -> meters.binding().close());
            listenerMeters.clear();
            flowListenerMeters.values().forEach(meters -> meters.binding().close());
            flowListenerMeters.clear();
            udpListenerMeters.values().forEach(meters -> meters.binding().close());
            udpListenerMeters.clear();
            closeAccessLogsNotIn(accessLogs, Map.of());
            accessLogs.clear();
        }
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        drains.values().forEach(drained -> drained.complete(null)); // their connections are closed now
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (ownsMetrics) {
            metrics.close();
        }
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }

    /**
     * A listener's meters, the load balancer they name, and the listener's protocol when they were bound
     * (an HTTPS or TLS listener has a TLS handshake failure series the others have not).
     */
    private record ListenerMeters(String loadBalancer, Protocol protocol, FulcrumMetrics.Binding binding) {
        boolean fits(String otherLoadBalancer, Protocol otherProtocol) {
            return loadBalancer.equals(otherLoadBalancer) && protocol == otherProtocol;
        }
    }

    /** An open access log, its settings, and its meters. */
    private record OpenAccessLog(AccessLogSettings settings, AccessLogWriter writer, FulcrumMetrics.Binding binding) {
    }

    /** Binds the meters of new listeners and removes those of closed ones (or of a listener that moved LB). */
    private void bindListenerMeters() {
        for (Map.Entry<String, HttpListener> entry : listeners.entrySet()) {
            String lb = entry.getValue().slot().routing().loadBalancer().name();
            Protocol protocol = entry.getValue().slot().routing().listener().protocol();
            ListenerMeters meters = listenerMeters.get(entry.getKey());
            if (meters != null && meters.fits(lb, protocol)) {
                continue;
            }
            if (meters != null) {
                meters.binding().close();
            }
            HttpListener listener = entry.getValue();
            java.util.function.LongSupplier tlsErrors = protocol != Protocol.HTTPS ? null : () -> {
                ServerTls tls = listener.tls();
                return tls == null ? 0 : tls.handshakeFailures();
            };
            listenerMeters.put(entry.getKey(), new ListenerMeters(lb, protocol, metrics.bindListener(lb,
                    entry.getKey(), listener.slot().stats(), listener::openConnections, tlsErrors)));
        }
        for (String key : new ArrayList<>(listenerMeters.keySet())) {
            if (!listeners.containsKey(key)) {
                listenerMeters.remove(key).binding().close();
            }
        }
    }

    /** Binds the meters of new TCP and TLS listeners and removes those of closed ones. */
    private void bindFlowListenerMeters() {
        Map<String, io.fulcrum.tcp.TcpListener> open = tcpListeners.listeners();
        for (Map.Entry<String, io.fulcrum.tcp.TcpListener> entry : open.entrySet()) {
            io.fulcrum.tcp.TcpListener listener = entry.getValue();
            String lb = listener.routing().loadBalancerName();
            Protocol protocol = listener.routing().listener().protocol();
            ListenerMeters meters = flowListenerMeters.get(entry.getKey());
            if (meters != null && meters.fits(lb, protocol)) {
                continue;
            }
            if (meters != null) {
                meters.binding().close();
            }
            io.fulcrum.tcp.TcpCounters counters = listener.counters();
            java.util.function.LongSupplier tlsErrors = protocol != Protocol.TLS ? null : () -> {
                ServerTls tls = listener.routing().tls();
                return tls == null ? 0 : tls.handshakeFailures();
            };
            flowListenerMeters.put(entry.getKey(), new ListenerMeters(lb, protocol, metrics.bindFlowListener(lb,
                    entry.getKey(), new FulcrumMetrics.FlowSources(counters::accepted, listener::openConnections,
                            counters::bytesToTargets, counters::bytesToClients, counters::connectFailures,
                            counters::idleTimeouts, tlsErrors, counters::targetTlsFailures))));
        }
        for (String key : new ArrayList<>(flowListenerMeters.keySet())) {
            if (!open.containsKey(key)) {
                flowListenerMeters.remove(key).binding().close();
            }
        }
    }

    /** Binds the meters of new UDP listeners and removes those of closed ones. */
    private void bindUdpListenerMeters() {
        Map<String, io.fulcrum.udp.UdpListener> open = udpListeners.listeners();
        for (Map.Entry<String, io.fulcrum.udp.UdpListener> entry : open.entrySet()) {
            io.fulcrum.udp.UdpListener listener = entry.getValue();
            String lb = listener.routing().loadBalancerName();
            ListenerMeters meters = udpListenerMeters.get(entry.getKey());
            if (meters != null && meters.fits(lb, Protocol.UDP)) {
                continue;
            }
            if (meters != null) {
                meters.binding().close();
            }
            io.fulcrum.udp.UdpCounters counters = listener.counters();
            udpListenerMeters.put(entry.getKey(), new ListenerMeters(lb, Protocol.UDP, metrics.bindUdpListener(lb,
                    entry.getKey(), new FulcrumMetrics.UdpSources(counters::flows, listener::openFlows,
                            counters::datagramsToTargets, counters::datagramsToClients, counters::bytesToTargets,
                            counters::bytesToClients, counters::refused, counters::idleTimeouts,
                            counters::dropped))));
        }
        for (String key : new ArrayList<>(udpListenerMeters.keySet())) {
            if (!open.containsKey(key)) {
                udpListenerMeters.remove(key).binding().close();
            }
        }
    }

    /**
     * The access logs {@code next} asks for: the open ones whose settings did not change are kept, the
     * others opened. A log that cannot be opened is reported and left off: the balancer serves anyway.
     */
    private Map<String, OpenAccessLog> openAccessLogs(FulcrumConfig next) {
        Map<String, OpenAccessLog> result = new HashMap<>();
        for (LoadBalancer lb : next.loadBalancers()) {
            AccessLogSettings settings = lb.attributes().accessLog();
            if (!settings.enabled()) {
                continue;
            }
            OpenAccessLog open = accessLogs.get(lb.name());
            if (open != null && open.settings().equals(settings)) {
                result.put(lb.name(), open);
                continue;
            }
            try {
                AccessLogWriter writer = AccessLogWriter.open(java.nio.file.Path.of(settings.path()),
                        settings.maxFileSize(), settings.maxFiles(), clock);
                FulcrumMetrics.Binding binding = metrics.bindAccessLog(lb.name(), writer);
                result.put(lb.name(), new OpenAccessLog(settings, writer, binding));
                LOG.info("Load balancer {}: access log to {}", lb.name(), writer.path());
            } catch (java.io.IOException | RuntimeException e) {
                LOG.error("Load balancer {}: cannot open the access log {}, requests are not logged: {}", lb.name(),
                        settings.path(), e.toString());
            }
        }
        return result;
    }

    private static AccessLogWriter writer(Map<String, OpenAccessLog> logs, String loadBalancer) {
        OpenAccessLog open = logs.get(loadBalancer);
        return open == null ? null : open.writer();
    }

    /** Closes the logs of {@code logs} that {@code keep} does not hold (the same open log object). */
    private static void closeAccessLogsNotIn(Map<String, OpenAccessLog> logs, Map<String, OpenAccessLog> keep) {
        for (Map.Entry<String, OpenAccessLog> entry : logs.entrySet()) {
            if (keep.get(entry.getKey()) != entry.getValue()) {
                entry.getValue().binding().close();
                entry.getValue().writer().close();
            }
        }
    }

    private static int countState(LiveTargetGroup group, TargetState state) {
        if (group == null) {
            return 0;
        }
        int count = 0;
        for (LiveTarget target : group.targets()) {
            if (target.health().state() == state) {
                count++;
            }
        }
        return count;
    }
}
