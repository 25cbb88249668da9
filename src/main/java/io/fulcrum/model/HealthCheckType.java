package io.fulcrum.model;

/** How an auto scaling group judges its instances' health, with AWS's names. */
public enum HealthCheckType {
    /** The instance is running (for a local process: it is alive). AWS's default. */
    EC2,
    /** Running, and healthy in every attached target group once the health check grace period is over. */
    ELB
}
