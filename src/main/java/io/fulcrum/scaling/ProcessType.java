package io.fulcrum.scaling;

import java.util.Arrays;
import java.util.Optional;

/** A process of an auto scaling group that can be suspended and resumed, by AWS's name. */
public enum ProcessType {
    /** New instances are launched (to reach desired capacity, to replace, to rebalance). */
    Launch,
    /** Instances are terminated (scale-in, unhealthy replacement, rebalancing). A process that dies is still removed. */
    Terminate,
    /** ELB health is read and instances are marked unhealthy. */
    HealthCheck,
    /** Instances marked unhealthy are terminated and replaced. */
    ReplaceUnhealthy,
    /** Zones are kept balanced by launching in the emptiest zone and then terminating in the fullest. */
    AZRebalance,
    /** New instances are registered in the attached target groups (on resume, those left out are registered). */
    AddToLoadBalancer,
    /** Scheduled actions run. */
    ScheduledActions,
    /** Scaling policies are evaluated (AWS: alarm notifications reach the policies). */
    AlarmNotification,
    /** An instance refresh replaces instances. */
    InstanceRefresh;

    /** The process with this AWS name, case-sensitive as in AWS. */
    public static Optional<ProcessType> of(String name) {
        return Arrays.stream(values()).filter(p -> p.name().equals(name)).findFirst();
    }
}
