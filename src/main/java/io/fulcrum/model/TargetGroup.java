package io.fulcrum.model;

import java.util.List;

/** A set of targets with a protocol, a port, a health check and attributes. */
public record TargetGroup(String name, Protocol protocol, int port, TargetType targetType, List<Target> targets,
                          HealthCheck healthCheck, TargetGroupAttributes attributes) {
    public TargetGroup {
        targets = Lists.copy(targets);
        if (healthCheck == null) {
            healthCheck = HealthCheck.DEFAULTS;
        }
        if (attributes == null) {
            attributes = TargetGroupAttributes.DEFAULTS;
        }
    }
}
