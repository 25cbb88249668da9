package io.fulcrum.model;

/** How a policy's alarm compares its metric with the threshold, by CloudWatch's names. */
public enum ComparisonOperator {
    GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold;

    /** True when {@code value} breaches {@code threshold} by this comparison. */
    public boolean breaches(double value, double threshold) {
        return switch (this) {
            case GreaterThanOrEqualToThreshold -> value >= threshold;
            case GreaterThanThreshold -> value > threshold;
            case LessThanThreshold -> value < threshold;
            case LessThanOrEqualToThreshold -> value <= threshold;
        };
    }
}
