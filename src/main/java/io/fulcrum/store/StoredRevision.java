package io.fulcrum.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored revision of the desired-state document.
 *
 * @param revision 1, 2, 3, … (0 is the empty store: no document yet)
 * @param time when it was written
 * @param cause who or what wrote it, e.g. "apply -f fulcrum.yaml" or "API RegisterTargets"
 * @param document the whole desired state, as the config writer's JSON
 */
public record StoredRevision(long revision, Instant time, String cause, String document) {
    /** The revision of a store that has never been written. */
    public static final StoredRevision EMPTY = new StoredRevision(0, Instant.EPOCH, "empty store", "");

    public StoredRevision {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(document, "document");
    }
}
