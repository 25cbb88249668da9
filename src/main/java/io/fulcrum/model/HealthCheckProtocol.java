package io.fulcrum.model;

/** How a target is probed. */
public enum HealthCheckProtocol {
    HTTP, TCP
}
