package io.fulcrum.scaling;

/**
 * A target group's target responses so far and their response times added up: two cumulative
 * counters, so the average over a window is the difference of the sums over the difference of the counts.
 *
 * @param count target responses received so far
 * @param sumNanos their response times (request sent to response head received) added up, in nanoseconds
 */
public record ResponseTimeTotals(long count, long sumNanos) {
    /** No response yet, or no load balancer behind the registry. */
    public static final ResponseTimeTotals NONE = new ResponseTimeTotals(0, 0);

    /** The totals of two target groups together. */
    public ResponseTimeTotals plus(ResponseTimeTotals other) {
        return new ResponseTimeTotals(count + other.count, sumNanos + other.sumNanos);
    }
}
