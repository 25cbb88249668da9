package io.fulcrum.model;

/** A metric a scaling policy follows, by AWS's name (or, where AWS has no predefined one, Fulcrum's). */
public enum PredefinedMetric {
    /** Requests per minute forwarded to the group's target group, divided by its warmed-up InService instances. */
    ALBRequestCountPerTarget,
    /**
     * The average CPU use of the group's warmed-up InService instances, in percent: each instance's
     * whole process tree, over all the machine's cores (100 = every core busy), as EC2 counts over vCPUs.
     */
    ASGAverageCPUUtilization,
    /**
     * Fulcrum's name for CloudWatch's TargetResponseTime (Average) of the group's target groups, which
     * AWS has no predefined metric for: the seconds from a request leaving the balancer to its target's
     * response head arriving, averaged over the responses in the evaluation window. A window without
     * responses has no datapoint, so the policy does nothing then.
     */
    ALBTargetResponseTime
}
