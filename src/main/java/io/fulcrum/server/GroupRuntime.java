package io.fulcrum.server;

import io.fulcrum.balancing.Balancer;
import io.fulcrum.health.HealthChecker;
import io.fulcrum.health.PassiveHealth;
import io.fulcrum.metrics.FulcrumMetrics;
import io.fulcrum.metrics.TargetGroupStats;
import io.fulcrum.model.TargetGroup;
import io.fulcrum.proxy.LiveTarget;
import io.fulcrum.proxy.LiveTargetGroup;
import io.fulcrum.proxy.RequestQueue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What outlives one snapshot of a target group: its targets, health checker, passive health and balancer. */
final class GroupRuntime {
    final String name;
    final HealthChecker checker;
    final PassiveHealth passive;
    final RequestQueue queue = new RequestQueue();
    /** Requests forwarded to the group, across reloads (the scaling policies' ALBRequestCountPerTarget). */
    final LongAdder requests = new LongAdder();
    /** The group's counters, requests among them, across reloads. */
    final TargetGroupStats stats = new TargetGroupStats(requests);
    /** The group's meters, bound when it is first committed. */
    FulcrumMetrics.Binding binding;
    /** The meters of its targets, by target (identity): removed when a target's drain is over. */
    final Map<LiveTarget, FulcrumMetrics.Binding> targetBindings = new java.util.IdentityHashMap<>();
    /** The group of the latest snapshot, which the host count gauges read. */
    volatile LiveTargetGroup live;
    final Map<String, LiveTarget> targets = new LinkedHashMap<>();
    TargetGroup spec;
    Balancer balancer;

    GroupRuntime(String name, HealthChecker checker, PassiveHealth passive) {
        this.name = name;
        this.checker = checker;
        this.passive = passive;
    }
}
