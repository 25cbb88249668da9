package io.fulcrum.metrics;

import io.fulcrum.accesslog.AccessLogWriter;
import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.scaling.AutoScalingGroupController;
import io.fulcrum.scaling.InstanceDescription;
import io.fulcrum.scaling.LifecycleState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fulcrum's metrics in Prometheus' text format, through Micrometer. The data plane only bumps the
 * LongAdders of {@link ListenerStats}, {@link TargetGroupStats} and {@link TargetStats}; the meters here
 * read them at scrape time. Each {@code bind...} call registers the meters of one listener, group or
 * target once and returns a {@link Binding} whose {@code close()} removes them, so series come and go
 * with what they measure. Names and tags: docs/metrics.md.
 */
public final class FulcrumMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HistogramCollector responseTimes = new HistogramCollector("fulcrum_target_response_time_seconds",
            "Time from the request head sent to a target to its response head, by target group (TargetResponseTime)",
            "target_group");
    private final Map<AutoScalingGroupController, Binding> groupBindings = new IdentityHashMap<>();
    private final boolean jvm;
    private volatile Supplier<? extends Collection<AutoScalingGroupController>> autoScaling;
    private JvmGcMetrics gcMetrics;
    private boolean jvmBound;

    /** Metrics with the JVM's (memory, GC, threads, classes, CPU, uptime). */
    public FulcrumMetrics() {
        this(true);
    }

    /** @param jvm whether to add the JVM's metrics (bound at the first scrape, to keep JMX off start-up) */
    public FulcrumMetrics(boolean jvm) {
        this.jvm = jvm;
        registry.getPrometheusRegistry().register(responseTimes);
    }

    /** The Micrometer registry, for callers that add meters of their own. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Every metric in Prometheus' text exposition format (version 0.0.4), for {@code GET /metrics}. */
    public synchronized String scrape() {
        if (jvm && !jvmBound) {
            jvmBound = true;
            new JvmMemoryMetrics().bindTo(registry);
            gcMetrics = new JvmGcMetrics();
            gcMetrics.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
        }
        syncAutoScaling();
        return registry.scrape();
    }

    /** Meters registered now (JVM ones included): what a test watches to see series do not pile up. */
    public int meterCount() {
        return registry.getMeters().size();
    }

    /**
     * Binds one listener's meters.
     *
     * @param listener the listener's address, like {@code 0.0.0.0:80}
     * @param activeConnections its client connections open now
     */
    public Binding bindListener(String loadBalancer, String listener, ListenerStats stats, IntSupplier activeConnections) {
        return bindListener(loadBalancer, listener, stats, activeConnections, null);
    }

    /**
     * Binds one HTTP or HTTPS listener's meters.
     *
     * @param listener the listener's address, like {@code 0.0.0.0:443}
     * @param activeConnections its client connections open now
     * @param tlsNegotiationErrors an HTTPS listener's failed client handshakes so far (never decreasing);
     *     null on an HTTP listener, which then has no such series
     */
    public Binding bindListener(String loadBalancer, String listener, ListenerStats stats, IntSupplier activeConnections,
                                LongSupplier tlsNegotiationErrors) {
        Tags tags = Tags.of("load_balancer", loadBalancer, "listener", listener);
        Binding binding = new Binding();
        if (tlsNegotiationErrors != null) {
            binding.add(tlsNegotiationErrors(tags, tlsNegotiationErrors, binding));
        }
        binding.add(counter("fulcrum.request.count", "Requests received (RequestCount)", tags, stats.requestsAdder()));
        addClasses(binding, "fulcrum.httpcode.elb", "Responses the balancer generated, by class (HTTPCode_ELB_NXX_Count)",
                tags, stats.elbResponses());
        addClasses(binding, "fulcrum.httpcode.target", "Responses from targets, by class (HTTPCode_Target_NXX_Count)",
                tags, stats.targetResponses());
        binding.add(counter("fulcrum.http.fixed.response.count", "Fixed-response actions (HTTP_Fixed_Response_Count)",
                tags, stats.fixedResponsesAdder()));
        binding.add(counter("fulcrum.http.redirect.count", "Redirect actions (HTTP_Redirect_Count)", tags,
                stats.redirectsAdder()));
        binding.add(counter("fulcrum.client.closed.count",
                "Requests whose client closed before the response was complete (logged as 460)", tags,
                stats.clientClosedAdder()));
        binding.add(counter("fulcrum.new.connection.count", "Client connections accepted (NewConnectionCount)", tags,
                stats.newConnectionsAdder()));
        binding.add(gauge("fulcrum.active.connection.count", "Client connections open now (ActiveConnectionCount)",
                tags, activeConnections::getAsInt));
        binding.add(counter("fulcrum.processed.bytes", "Bytes from and to clients (ProcessedBytes)",
                tags.and("direction", "received"), stats.receivedBytesAdder()));
        binding.add(counter("fulcrum.processed.bytes", "Bytes from and to clients (ProcessedBytes)",
                tags.and("direction", "sent"), stats.sentBytesAdder()));
        return binding;
    }

    /**
     * What a TCP or TLS listener (NLB's) counts, read at each scrape; every count only grows but the active one.
     *
     * @param tlsNegotiationErrors a TLS listener's failed client handshakes; null on a TCP listener
     * @param targetTlsNegotiationErrors failed handshakes with the targets of TLS target groups
     */
    public record FlowSources(LongSupplier newFlows, IntSupplier activeFlows, LongSupplier bytesFromClients,
                              LongSupplier bytesToClients, LongSupplier targetConnectionErrors,
                              LongSupplier idleTimeouts, LongSupplier tlsNegotiationErrors,
                              LongSupplier targetTlsNegotiationErrors) {
    }

    /**
     * Binds one TCP or TLS listener's meters (NLB's flow metrics).
     *
     * @param listener the listener's address, like {@code 0.0.0.0:5432}
     */
    public Binding bindFlowListener(String loadBalancer, String listener, FlowSources sources) {
        Tags tags = Tags.of("load_balancer", loadBalancer, "listener", listener);
        Binding binding = new Binding();
        binding.add(supplied("fulcrum.new.flow.count", "Client connections accepted (NewFlowCount, NewFlowCount_TLS)",
                tags, sources.newFlows(), binding));
        binding.add(gauge("fulcrum.active.flow.count", "Client connections open now (ActiveFlowCount,"
                + " ActiveFlowCount_TLS)", tags, sources.activeFlows()::getAsInt));
        binding.add(supplied("fulcrum.flow.processed.bytes", "Bytes relayed from and to clients, after TLS"
                + " (ProcessedBytes, ProcessedBytes_TLS)", tags.and("direction", "received"), sources.bytesFromClients(),
                binding));
        binding.add(supplied("fulcrum.flow.processed.bytes", "Bytes relayed from and to clients, after TLS"
                + " (ProcessedBytes, ProcessedBytes_TLS)", tags.and("direction", "sent"), sources.bytesToClients(),
                binding));
        binding.add(supplied("fulcrum.flow.target.connection.error.count",
                "Connections to targets that failed (each may be tried once more elsewhere)", tags,
                sources.targetConnectionErrors(), binding));
        binding.add(supplied("fulcrum.flow.idle.timeout.count", "Client connections closed by the idle timeout", tags,
                sources.idleTimeouts(), binding));
        if (sources.tlsNegotiationErrors() != null) {
            binding.add(tlsNegotiationErrors(tags, sources.tlsNegotiationErrors(), binding));
        }
        binding.add(supplied("fulcrum.flow.target.tls.negotiation.error.count", "TLS handshakes with targets of TLS"
                + " target groups that failed (TargetTLSNegotiationErrorCount)", tags,
                sources.targetTlsNegotiationErrors(), binding));
        return binding;
    }

    /**
     * What a UDP listener (NLB's) counts, read at each scrape; every count only grows but the active one.
     *
     * @param refusedFlows datagrams of new flows dropped because the listener had its maximum of flows
     * @param dropped datagrams dropped because a socket's buffer was full
     */
    public record UdpSources(LongSupplier newFlows, IntSupplier activeFlows, LongSupplier packetsFromClients,
                             LongSupplier packetsToClients, LongSupplier bytesFromClients, LongSupplier bytesToClients,
                             LongSupplier refusedFlows, LongSupplier idleTimeouts, LongSupplier dropped) {
    }

    /**
     * Binds one UDP listener's meters (NLB's {@code _UDP} flow metrics).
     *
     * @param listener the listener's address, like {@code 0.0.0.0:53}
     */
    public Binding bindUdpListener(String loadBalancer, String listener, UdpSources sources) {
        Tags tags = Tags.of("load_balancer", loadBalancer, "listener", listener);
        Binding binding = new Binding();
        binding.add(supplied("fulcrum.udp.new.flow.count", "Client flows started (NewFlowCount_UDP)", tags,
                sources.newFlows(), binding));
        binding.add(gauge("fulcrum.udp.active.flow.count", "Client flows open now (ActiveFlowCount_UDP)", tags,
                sources.activeFlows()::getAsInt));
        binding.add(supplied("fulcrum.udp.processed.packets", "Datagrams relayed from and to clients"
                + " (ProcessedPackets)", tags.and("direction", "received"), sources.packetsFromClients(), binding));
        binding.add(supplied("fulcrum.udp.processed.packets", "Datagrams relayed from and to clients"
                + " (ProcessedPackets)", tags.and("direction", "sent"), sources.packetsToClients(), binding));
        binding.add(supplied("fulcrum.udp.processed.bytes", "Payload bytes relayed from and to clients"
                + " (ProcessedBytes_UDP)", tags.and("direction", "received"), sources.bytesFromClients(), binding));
        binding.add(supplied("fulcrum.udp.processed.bytes", "Payload bytes relayed from and to clients"
                + " (ProcessedBytes_UDP)", tags.and("direction", "sent"), sources.bytesToClients(), binding));
        binding.add(supplied("fulcrum.udp.refused.flow.count",
                "Datagrams of new flows dropped at the listener's maximum of flows", tags, sources.refusedFlows(),
                binding));
        binding.add(supplied("fulcrum.udp.flow.idle.timeout.count", "Client flows ended by the idle timeout", tags,
                sources.idleTimeouts(), binding));
        binding.add(supplied("fulcrum.udp.dropped.packet.count", "Datagrams dropped because a socket's buffer was"
                + " full", tags, sources.dropped(), binding));
        return binding;
    }

    private Meter tlsNegotiationErrors(Tags tags, LongSupplier errors, Binding binding) {
        return supplied("fulcrum.client.tls.negotiation.error.count",
                "Client TLS handshakes that failed (ClientTLSNegotiationErrorCount)", tags, errors, binding);
    }

    /** A counter read from {@code value}, which the binding holds (Micrometer holds a counter's object weakly). */
    private Meter supplied(String name, String help, Tags tags, LongSupplier value, Binding binding) {
        binding.hold(value);
        return FunctionCounter.builder(name, value, LongSupplier::getAsLong).description(help).tags(tags)
                .register(registry);
    }

    /**
     * Binds one target group's meters.
     *
     * @param healthy its targets that are healthy now (HealthyHostCount)
     * @param unhealthy its targets that are unhealthy now (UnHealthyHostCount)
     */
    public Binding bindTargetGroup(String targetGroup, TargetGroupStats stats, IntSupplier healthy,
                                   IntSupplier unhealthy) {
        Tags tags = Tags.of("target_group", targetGroup);
        Binding binding = new Binding();
        binding.add(counter("fulcrum.target.group.request.count", "Requests routed to the group (RequestCount)", tags,
                stats.requestsAdder()));
        addClasses(binding, "fulcrum.target.group.httpcode.target",
                "Responses from the group's targets, by class (HTTPCode_Target_NXX_Count)", tags, stats.targetResponses());
        binding.add(counter("fulcrum.target.group.connection.error.count",
                "Connections to the group's targets that failed (TargetConnectionErrorCount)", tags,
                stats.connectionErrorsAdder()));
        binding.add(counter("fulcrum.retry.count", "Requests sent again to another target after a failure", tags,
                stats.retriesAdder()));
        binding.add(gauge("fulcrum.healthy.host.count", "Healthy targets (HealthyHostCount)", tags, healthy::getAsInt));
        binding.add(gauge("fulcrum.unhealthy.host.count", "Unhealthy targets (UnHealthyHostCount)", tags,
                unhealthy::getAsInt));
        responseTimes.put(targetGroup, stats.responseTime());
        binding.histogramKey = targetGroup;
        binding.histogramValue = stats.responseTime();
        return binding;
    }

    /**
     * Binds one target's meters.
     *
     * @param target "host:port"
     * @param activeRequests its requests in flight now
     * @param healthy whether it takes new requests now (healthy, or in slow start)
     */
    public Binding bindTarget(String targetGroup, String target, TargetStats stats, IntSupplier activeRequests,
                              BooleanSupplier healthy) {
        Tags tags = Tags.of("target_group", targetGroup, "target", target);
        Binding binding = new Binding();
        binding.add(counter("fulcrum.target.request.count", "Requests sent to the target", tags,
                stats.requestsAdder()));
        addClasses(binding, "fulcrum.target.httpcode.target", "Responses from the target, by class", tags,
                stats.responses());
        binding.add(counter("fulcrum.target.connection.error.count", "Connections to the target that failed", tags,
                stats.connectionErrorsAdder()));
        binding.add(gauge("fulcrum.target.active.request.count", "Requests in flight to the target now", tags,
                activeRequests::getAsInt));
        binding.add(gauge("fulcrum.target.healthy", "1 while the target is healthy, else 0", tags,
                () -> healthy.getAsBoolean() ? 1 : 0));
        return binding;
    }

    /** Binds one load balancer's access log meters: lines written and lines dropped on a full queue. */
    public Binding bindAccessLog(String loadBalancer, AccessLogWriter writer) {
        Tags tags = Tags.of("load_balancer", loadBalancer);
        Binding binding = new Binding();
        // the writer itself is the meters' object: Micrometer holds it weakly, and its owner holds it strongly
        binding.add(FunctionCounter.builder("fulcrum.access.log.written.lines", writer, AccessLogWriter::written)
                .description("Access log lines written").tags(tags).register(registry));
        binding.add(FunctionCounter.builder("fulcrum.access.log.dropped.lines", writer, AccessLogWriter::dropped)
                .description("Access log lines dropped because the write queue was full").tags(tags).register(registry));
        return binding;
    }

    /**
     * Shows the auto scaling groups {@code groups} returns, read at each scrape: a group's gauges
     * appear when it does and are removed when it leaves.
     */
    public void watchAutoScaling(Supplier<? extends Collection<AutoScalingGroupController>> groups) {
        this.autoScaling = groups;
    }

    private void syncAutoScaling() {
        Supplier<? extends Collection<AutoScalingGroupController>> source = autoScaling;
        Collection<AutoScalingGroupController> current = source == null ? List.of() : source.get();
        Map<AutoScalingGroupController, Boolean> seen = new IdentityHashMap<>();
        for (AutoScalingGroupController controller : current) {
            seen.put(controller, Boolean.TRUE);
            groupBindings.computeIfAbsent(controller, this::bindAutoScalingGroup);
        }
        for (AutoScalingGroupController gone : new ArrayList<>(groupBindings.keySet())) {
            if (!seen.containsKey(gone)) {
                groupBindings.remove(gone).close();
            }
        }
    }

    private Binding bindAutoScalingGroup(AutoScalingGroupController controller) {
        Tags tags = Tags.of("auto_scaling_group", controller.name());
        Binding binding = new Binding();
        binding.add(asgGauge("fulcrum.asg.min.size", "The group's minimum size (GroupMinSize)", tags, controller,
                AutoScalingGroup::minSize));
        binding.add(asgGauge("fulcrum.asg.max.size", "The group's maximum size (GroupMaxSize)", tags, controller,
                AutoScalingGroup::maxSize));
        binding.add(asgGauge("fulcrum.asg.desired.capacity", "The group's desired capacity (GroupDesiredCapacity)",
                tags, controller, AutoScalingGroup::desiredCapacity));
        binding.add(stateGauge("fulcrum.asg.pending.instances", "Instances launching (GroupPendingInstances)", tags,
                controller, LifecycleState.PENDING));
        binding.add(stateGauge("fulcrum.asg.in.service.instances", "Instances in service (GroupInServiceInstances)",
                tags, controller, LifecycleState.IN_SERVICE));
        binding.add(stateGauge("fulcrum.asg.terminating.instances",
                "Instances draining or stopping (GroupTerminatingInstances)", tags, controller,
                LifecycleState.TERMINATING));
        return binding;
    }

    private Meter asgGauge(String name, String help, Tags tags, AutoScalingGroupController controller,
                           ToIntFunction<AutoScalingGroup> field) {
        return gauge(name, help, tags, () -> field.applyAsInt(controller.currentSpec()));
    }

    private Meter stateGauge(String name, String help, Tags tags, AutoScalingGroupController controller,
                             LifecycleState state) {
        return gauge(name, help, tags, () -> {
            int count = 0;
            for (InstanceDescription instance : controller.instances()) {
                if (instance.lifecycleState() == state) {
                    count++;
                }
            }
            return count;
        });
    }

    private void addClasses(Binding binding, String name, String help, Tags tags, StatusClassCounter counter) {
        for (int i = 0; i < StatusClassCounter.CLASSES.length; i++) {
            binding.add(counter(name, help, tags.and("class", StatusClassCounter.CLASSES[i]), counter.adder(i)));
        }
    }

    private Meter counter(String name, String help, Tags tags, LongAdder adder) {
        return FunctionCounter.builder(name, adder, LongAdder::sum).description(help).tags(tags).register(registry);
    }

    private Meter gauge(String name, String help, Tags tags, Supplier<Number> value) {
        return Gauge.builder(name, value).description(help).tags(tags).strongReference(true).register(registry);
    }

    @Override
    public synchronized void close() {
        if (gcMetrics != null) {
            gcMetrics.close();
        }
        registry.close();
    }

    /** The meters of one listener, group, target or access log; {@link #close()} removes them. Idempotent. */
    public final class Binding implements AutoCloseable {
        private final List<Meter> meters = new ArrayList<>();
        /** What function counters read, kept reachable while they are bound. */
        private final List<Object> held = new ArrayList<>(2);
        private String histogramKey;
        private LatencyHistogram histogramValue;
        private boolean closed;

        private Binding() {
        }

        private void add(Meter meter) {
            meters.add(meter);
        }

        private void hold(Object source) {
            held.add(source);
        }

        @Override
        public void close() {
            synchronized (FulcrumMetrics.this) {
                if (closed) {
                    return;
                }
                closed = true;
                meters.forEach(registry::remove);
                if (histogramKey != null) {
                    responseTimes.remove(histogramKey, histogramValue);
                }
            }
        }
    }
}
