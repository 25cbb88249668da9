package io.fulcrum.model;

/**
 * How an auto scaling group picks the instance to terminate on scale-in, by AWS's names. Whatever the
 * policies, unhealthy instances go first, protected ones never, and the zone with the most instances
 * is chosen before any policy applies.
 */
public enum TerminationPolicy {
    /** Instances of another template or an older version of the group's template, then the oldest; ties by id. */
    Default,
    /** The instance launched first. */
    OldestInstance,
    /** The instance launched last. */
    NewestInstance,
    /** Instances of another template first, then those of the lowest version of the group's template. */
    OldestLaunchTemplate
}
