package io.fulcrum.server;

import io.fulcrum.balancing.Balancer;
import io.fulcrum.health.HealthChecker;
import io.fulcrum.health.PassiveHealth;
import io.fulcrum.model.TargetGroup;
import io.fulcrum.proxy.LiveTarget;
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
    final Map<String, LiveTarget> targets = new LinkedHashMap<>();
    TargetGroup spec;
    Balancer balancer;

    GroupRuntime(String name, HealthChecker checker, PassiveHealth passive) {
        this.name = name;
        this.checker = checker;
        this.passive = passive;
    }
}
