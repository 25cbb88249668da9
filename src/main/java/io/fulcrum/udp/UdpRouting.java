package io.fulcrum.udp;

import io.fulcrum.model.Listener;
import io.fulcrum.proxy.LiveTargetGroup;

/**
 * What one UDP listener needs from one routing snapshot: its spec and the live target group its default
 * action forwards to. A flow reads it once, when its first datagram arrives.
 *
 * @param loadBalancerName for logs and metrics
 * @param targetGroup null only if the config named no group (the validator prevents it)
 */
public record UdpRouting(String loadBalancerName, Listener listener, LiveTargetGroup targetGroup) {
}
