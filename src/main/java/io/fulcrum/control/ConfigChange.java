package io.fulcrum.control;

import io.fulcrum.model.FulcrumConfig;

/**
 * A change to the desired state, as a function of the current one. It may throw any runtime
 * exception (e.g. an API's "not found") to refuse; nothing is then stored.
 */
@FunctionalInterface
public interface ConfigChange {
    FulcrumConfig apply(FulcrumConfig current);
}
