package io.fulcrum.model;

/** How a target is probed. HTTPS probes do not verify the target's certificate, as ALB's do not. */
public enum HealthCheckProtocol {
    HTTP, HTTPS, TCP
}
