/**
 * Auto scaling: launchers that start and stop backend instances (and, later, the groups and policies
 * that decide how many run). Depends on {@code io.fulcrum.model}; never on Netty or the data plane.
 */
package io.fulcrum.scaling;
