package io.fulcrum.model;

import java.util.List;

/**
 * A set of targets with a protocol, a port, a health check, attributes and the HTTP version they are
 * spoken to in ({@link ProtocolVersion#HTTP1} unless set).
 */
public record TargetGroup(String name, Protocol protocol, int port, TargetType targetType, List<Target> targets,
                          HealthCheck healthCheck, TargetGroupAttributes attributes, ProtocolVersion protocolVersion) {
    public TargetGroup {
        if (protocolVersion == null) {
            protocolVersion = ProtocolVersion.HTTP1;
        }
        targets = Lists.copy(targets);
        if (healthCheck == null) {
            healthCheck = HealthCheck.DEFAULTS;
        }
        if (attributes == null) {
            attributes = TargetGroupAttributes.DEFAULTS;
        }
    }

    /** A group spoken to over HTTP/1.1. */
    public TargetGroup(String name, Protocol protocol, int port, TargetType targetType, List<Target> targets,
                       HealthCheck healthCheck, TargetGroupAttributes attributes) {
        this(name, protocol, port, targetType, targets, healthCheck, attributes, ProtocolVersion.HTTP1);
    }
}
