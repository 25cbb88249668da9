package io.fulcrum.model;

import java.util.List;

/** A named set of listeners with shared attributes. */
public record LoadBalancer(String name, LoadBalancerAttributes attributes, List<Listener> listeners) {
    public LoadBalancer {
        listeners = Lists.copy(listeners);
        if (attributes == null) {
            attributes = LoadBalancerAttributes.DEFAULTS;
        }
    }
}
