package io.fulcrum.scaling;

import io.fulcrum.health.TargetState;
import io.fulcrum.model.Target;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The target groups as auto scaling sees them: register an instance, deregister it (and hear when its
 * drain is over), and read its health. The seam between the groups and the load balancer.
 */
public interface TargetRegistry extends MetricsSource {
    /** Registers {@code target} in the group; idempotent. */
    void register(String targetGroupName, Target target);

    /** Deregisters {@code target}; completes when it is drained (at once when it was not registered). */
    CompletableFuture<Void> deregister(String targetGroupName, Target target);

    /** The target's state in the group, or empty when it is not registered there. */
    Optional<TargetState> state(String targetGroupName, Target target);

    /** No counters by default: a registry without a load balancer behind it sees no requests. */
    @Override
    default long requestCount(String targetGroupName) {
        return 0;
    }
}
