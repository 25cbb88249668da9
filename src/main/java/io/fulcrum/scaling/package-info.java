/**
 * Auto scaling: launchers that start and stop backend instances, and the groups that keep the desired
 * number of them in service behind target groups ({@link io.fulcrum.scaling.AutoScalingGroupController},
 * one per group, managed together by {@link io.fulcrum.scaling.AutoScaling}), with their policies
 * ({@link io.fulcrum.scaling.TargetTracking}, {@link io.fulcrum.scaling.AlarmScaling}) and scale-in
 * choice ({@link io.fulcrum.scaling.TerminationSelector}) kept as pure computations. Depends on
 * {@code io.fulcrum.model} (and the health package's {@code TargetState}); never on Netty or the data
 * plane, which it reaches through {@link io.fulcrum.scaling.TargetRegistry}.
 */
package io.fulcrum.scaling;
