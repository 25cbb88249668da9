package io.fulcrum.tcp;

import io.fulcrum.model.Listener;
import io.fulcrum.proxy.LiveTargetGroup;

/**
 * What one TCP listener needs from one routing snapshot: its spec and the live target group its
 * default action forwards to. A connection reads it once, when it is accepted.
 *
 * @param loadBalancerName for logs
 * @param targetGroup null only if the config named no group (the validator prevents it)
 */
public record TcpRouting(String loadBalancerName, Listener listener, LiveTargetGroup targetGroup) {
}
