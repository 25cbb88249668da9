package io.fulcrum.control;

import io.fulcrum.model.FulcrumConfig;

/** Makes the running data plane serve a desired state (listeners, target groups, auto scaling groups). */
@FunctionalInterface
public interface StateApplier {
    /**
     * Serves {@code config} from now on.
     *
     * @throws ApplyException when it cannot (e.g. a port is taken); the previous state keeps serving
     */
    void apply(FulcrumConfig config, long revision) throws ApplyException;
}
