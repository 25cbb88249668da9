package io.fulcrum.model;

/** A metric a scaling policy follows, by AWS's name. */
public enum PredefinedMetric {
    /** Requests per minute forwarded to the group's target group, divided by its warmed-up InService instances. */
    ALBRequestCountPerTarget,
    /**
     * The average CPU use of the group's warmed-up InService instances, in percent: each instance's
     * whole process tree, over all the machine's cores (100 = every core busy), as EC2 counts over vCPUs.
     */
    ASGAverageCPUUtilization
}
