package io.fulcrum.health;

/**
 * A state change of one target, as given to {@link TargetHealth#addListener} listeners.
 *
 * @param target the target whose state changed
 * @param previous the status before
 * @param current the status now
 */
public record HealthChange(TargetHealth target, HealthStatus previous, HealthStatus current) {
}
