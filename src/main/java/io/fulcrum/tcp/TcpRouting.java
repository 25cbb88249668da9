package io.fulcrum.tcp;

import io.fulcrum.model.Listener;
import io.fulcrum.proxy.LiveTargetGroup;
import io.fulcrum.tls.ServerTls;

/**
 * What one TCP or TLS listener needs from one routing snapshot: its spec, the live target group its
 * default action forwards to, and on a TLS listener the TLS it terminates. A connection reads it once,
 * when it is accepted.
 *
 * @param loadBalancerName for logs
 * @param targetGroup null only if the config named no group (the validator prevents it)
 * @param tls the listener's certificates and policy on a TLS listener; null on a TCP one
 */
public record TcpRouting(String loadBalancerName, Listener listener, LiveTargetGroup targetGroup, ServerTls tls) {
    /** The routing of a TCP listener (no TLS). */
    public TcpRouting(String loadBalancerName, Listener listener, LiveTargetGroup targetGroup) {
        this(loadBalancerName, listener, targetGroup, null);
    }
}
