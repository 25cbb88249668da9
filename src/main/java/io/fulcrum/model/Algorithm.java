package io.fulcrum.model;

/** Load balancing algorithms, with ALB's config names. */
public enum Algorithm {
    ROUND_ROBIN("round_robin"),
    LEAST_OUTSTANDING_REQUESTS("least_outstanding_requests"),
    WEIGHTED_RANDOM("weighted_random"),
    /** NLB's: a hash of the connection's 5-tuple picks the target; TCP target groups only. */
    FLOW_HASH("flow_hash");

    private final String configName;

    Algorithm(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The algorithm with this config name, or null. */
    public static Algorithm fromConfigName(String name) {
        for (Algorithm algorithm : values()) {
            if (algorithm.configName.equals(name)) {
                return algorithm;
            }
        }
        return null;
    }
}
