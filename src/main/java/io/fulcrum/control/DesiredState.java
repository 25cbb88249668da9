package io.fulcrum.control;

import io.fulcrum.model.FulcrumConfig;
import java.time.Instant;
import java.util.Objects;

/**
 * The desired state at one revision.
 *
 * @param revision the store revision (0: nothing stored yet)
 * @param cause who or what wrote it
 */
public record DesiredState(long revision, Instant time, String cause, FulcrumConfig config) {
    public DesiredState {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(config, "config");
    }
}
