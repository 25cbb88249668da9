package io.fulcrum.proxy;

import io.fulcrum.model.Listener;
import io.fulcrum.model.LoadBalancer;
import io.fulcrum.routing.CompiledRules;
import java.util.Map;

/**
 * What one listener needs to route a request, taken from one routing snapshot: its compiled rules and
 * the live target groups they name. A request reads this once, so a reload never mixes two revisions
 * within one request.
 *
 * @param revision the desired-state revision this snapshot was built from (0 when not stored)
 * @param revisionHeader the value of the debug {@value #REVISION_HEADER} response header, or null when
 *     it is off (made once per snapshot, so requests allocate nothing for it)
 */
public record ListenerRouting(LoadBalancer loadBalancer, Listener listener, CompiledRules rules,
                              Map<String, LiveTargetGroup> targetGroups, long revision, String revisionHeader) {
    /** The debug response header naming the revision whose snapshot routed the request. */
    public static final String REVISION_HEADER = "X-Fulcrum-Revision";

    /** A snapshot of no stored revision, without the debug header. */
    public ListenerRouting(LoadBalancer loadBalancer, Listener listener, CompiledRules rules,
                           Map<String, LiveTargetGroup> targetGroups) {
        this(loadBalancer, listener, rules, targetGroups, 0, null);
    }
}
