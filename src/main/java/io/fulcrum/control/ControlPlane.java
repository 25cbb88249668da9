package io.fulcrum.control;

import io.fulcrum.config.ConfigLoader;
import io.fulcrum.config.ConfigWriter;
import io.fulcrum.model.ConfigProblem;
import io.fulcrum.model.ConfigValidator;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.InvalidConfigException;
import io.fulcrum.store.StaleRevisionException;
import io.fulcrum.store.Store;
import io.fulcrum.store.StoredRevision;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one way the desired state changes: each change is computed from the current revision,
 * validated whole by the same rules as a config file, tried on the data plane and then stored as the
 * next revision. Changes are serialised; reads are cheap.
 */
public final class ControlPlane {
    private final Store store;
    private final StateApplier applier;
    private volatile DesiredState current;

    /** Reads the store's current revision; {@link #start()} then serves it. */
    public ControlPlane(Store store, StateApplier applier) throws InvalidConfigException {
        this.store = Objects.requireNonNull(store, "store");
        this.applier = Objects.requireNonNull(applier, "applier");
        this.current = decode(store.current());
    }

    /** Serves the stored state (at start, before any change). */
    public synchronized void start() throws ApplyException {
        applier.apply(current.config(), current.revision());
    }

    /** The current desired state. */
    public DesiredState current() {
        return current;
    }

    /**
     * Computes, validates, applies and stores a change.
     *
     * @param expectedRevision the revision the change was computed against, or {@link Store#ANY_REVISION}
     * @throws StaleRevisionException when the current revision is another
     * @throws InvalidConfigException when the changed state breaks a rule; nothing changed
     * @throws ApplyException when the data plane cannot serve it; nothing changed
     */
    public synchronized DesiredState update(long expectedRevision, String cause, ConfigChange change)
            throws StaleRevisionException, InvalidConfigException, ApplyException {
        DesiredState before = current;
        if (expectedRevision != Store.ANY_REVISION && expectedRevision != before.revision()) {
            throw new StaleRevisionException(expectedRevision, before.revision());
        }
        FulcrumConfig next = change.apply(before.config());
        if (next.equals(before.config()) && before.revision() > 0) {
            return before; // nothing to change: no new revision (writes are idempotent)
        }
        List<ConfigProblem> problems = ConfigValidator.validate(next);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        applier.apply(next, before.revision() + 1);
        StoredRevision stored;
        try {
            stored = store.compareAndSet(before.revision(), ConfigWriter.toCompactJson(next), cause);
        } catch (StaleRevisionException | RuntimeException e) {
            applier.apply(before.config(), before.revision()); // not stored: serve what is
            throw e;
        }
        current = new DesiredState(stored.revision(), stored.time(), stored.cause(), next);
        return current;
    }

    /** The kept revisions, oldest first. */
    public List<DesiredState> history() throws InvalidConfigException {
        List<DesiredState> states = new ArrayList<>();
        for (StoredRevision revision : store.history()) {
            states.add(decode(revision));
        }
        return states;
    }

    /** One kept revision. */
    public Optional<DesiredState> revision(long revision) throws InvalidConfigException {
        Optional<StoredRevision> stored = store.revision(revision);
        return stored.isEmpty() ? Optional.empty() : Optional.of(decode(stored.get()));
    }

    /**
     * Makes an earlier revision's state current again, as a new revision.
     *
     * @throws IllegalArgumentException when that revision is not kept
     */
    public DesiredState rollback(long revision, String cause)
            throws StaleRevisionException, InvalidConfigException, ApplyException {
        FulcrumConfig old = revision(revision)
                .orElseThrow(() -> new IllegalArgumentException("revision " + revision + " is not kept"))
                .config();
        return update(Store.ANY_REVISION, cause, current -> old);
    }

    private static DesiredState decode(StoredRevision stored) throws InvalidConfigException {
        FulcrumConfig config = stored.document().isEmpty()
                ? new FulcrumConfig(List.of(), List.of())
                : ConfigLoader.parse(stored.document());
        return new DesiredState(stored.revision(), stored.time(), stored.cause(), config);
    }
}
