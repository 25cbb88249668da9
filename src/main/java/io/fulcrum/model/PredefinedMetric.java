package io.fulcrum.model;

/** A metric a target tracking policy follows, by AWS's name; only the balancer's request count so far. */
public enum PredefinedMetric {
    /** Requests per minute forwarded to the group's target group, divided by its warmed-up InService instances. */
    ALBRequestCountPerTarget
}
