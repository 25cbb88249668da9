package io.fulcrum.proxy;

import io.fulcrum.model.Listener;
import io.fulcrum.model.LoadBalancer;
import io.fulcrum.routing.CompiledRules;
import java.util.Map;

/**
 * What one listener needs to route a request, taken from one routing snapshot: its compiled rules and
 * the live target groups they name. A request reads this once, so a reload never mixes two revisions
 * within one request.
 */
public record ListenerRouting(LoadBalancer loadBalancer, Listener listener, CompiledRules rules,
                              Map<String, LiveTargetGroup> targetGroups) {
}
