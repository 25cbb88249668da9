/**
 * Target health: the state of each target as ALB names it ({@code initial}, {@code healthy},
 * {@code unhealthy}, {@code unused}, {@code draining}), active HTTP/TCP health checks run on Netty event
 * loops, and passive health fed by the proxy's connection failures.
 *
 * <p>The data plane only reads {@link io.fulcrum.health.TargetHealth#status()} (one volatile read) and
 * reports passive signals through {@link io.fulcrum.health.PassiveHealth}. Depends on {@code io.fulcrum.model}
 * and Netty; never on the proxy, routing or store packages.
 */
package io.fulcrum.health;
