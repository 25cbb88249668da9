package io.fulcrum.scaling;

/** Where an instance is in its life in an auto scaling group, named as AWS names it. */
public enum LifecycleState {
    /** Launched (or being launched); not yet running, or not yet healthy in its target groups (ELB). */
    PENDING("Pending"),
    /** Running and, for health check type ELB, healthy in its target groups. */
    IN_SERVICE("InService"),
    /** Being deregistered and drained, then stopped. */
    TERMINATING("Terminating"),
    /** Stopped; it leaves the group. */
    TERMINATED("Terminated"),
    /** Being deregistered and drained on its way to {@link #STANDBY}. */
    ENTERING_STANDBY("EnteringStandby"),
    /** Kept running but out of the target groups and of the group's capacity; not health checked. */
    STANDBY("Standby");

    private final String awsName;

    LifecycleState(String awsName) {
        this.awsName = awsName;
    }

    /** AWS's name: {@code Pending}, {@code InService}, {@code Terminating}, {@code Terminated}, {@code EnteringStandby}, {@code Standby}. */
    public String awsName() {
        return awsName;
    }

    @Override
    public String toString() {
        return awsName;
    }
}
