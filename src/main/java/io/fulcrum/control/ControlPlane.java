package io.fulcrum.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one way the desired state changes: each change is computed from the current revision,
 * validated whole by the same rules as a config file, tried on the data plane and then stored as the
 * next revision. Changes are serialised; reads are cheap.
 *
 * <p>A stored document is {@code {"config": <the config file's shape>, "lastDeclared": {...}}}: the
 * desired state plus what the last declared apply said (see {@link #apply(long, FulcrumConfig, String)}),
 * both in one revision so they never disagree after a crash. A document that is the config alone (as
 * written before) reads as a config with nothing declared.
 */
public final class ControlPlane {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final StateApplier applier;
    private volatile DesiredState current;
    private volatile LastDeclared lastDeclared;
    /** Whether the data plane serves {@link #current} yet (false until the first start or change). */
    private boolean served;

    /**
     * Reads the store's current revision; {@link #start()} then serves it (or the first change does).
     *
     * @throws InvalidConfigException when the stored document is not a valid state
     */
    public ControlPlane(Store store, StateApplier applier) throws InvalidConfigException {
        this.store = Objects.requireNonNull(store, "store");
        this.applier = Objects.requireNonNull(applier, "applier");
        Stored stored = decodeStored(store.current());
        this.current = stored.state;
        this.lastDeclared = stored.lastDeclared;
    }

    /** Serves the stored state (at start, before any change). */
    public synchronized void start() throws ApplyException {
        applier.apply(current.config(), current.revision());
        served = true;
    }

    /** The current desired state. */
    public DesiredState current() {
        return current;
    }

    /** What the last declared apply (file or whole document) said, as stored with the current revision. */
    public LastDeclared lastDeclared() {
        return lastDeclared;
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
        checkRevision(expectedRevision);
        return write(cause, change.apply(current.config()), lastDeclared);
    }

    /**
     * Applies a declared whole document (the config file at start and on each edit, or the API's PUT
     * of the whole state) over the live state, by the ownership rules: the document replaces everything
     * it states, except an auto scaling group's desiredCapacity, which is taken from the document only
     * when the group is new or the document's value changed since the last declared apply; otherwise
     * the live value (set through the API, or by scaling policies in the group's controller) stays.
     * Targets that auto scaling groups registered are not part of the document and are never removed
     * by it. No new revision when nothing changes.
     *
     * @throws StaleRevisionException when the current revision is another than {@code expectedRevision}
     * @throws InvalidConfigException when the resulting state breaks a rule; nothing changed
     * @throws ApplyException when the data plane cannot serve it; nothing changed
     */
    public synchronized DesiredState apply(long expectedRevision, FulcrumConfig declared, String cause)
            throws StaleRevisionException, InvalidConfigException, ApplyException {
        Objects.requireNonNull(declared, "declared");
        checkRevision(expectedRevision);
        return write(cause, Ownership.merge(current.config(), declared, lastDeclared), LastDeclared.of(declared));
    }

    /** The state {@link #apply} would make of a declared document now, without applying it (for a diff). */
    public synchronized FulcrumConfig preview(FulcrumConfig declared) {
        return Ownership.merge(current.config(), Objects.requireNonNull(declared, "declared"), lastDeclared);
    }

    /** {@link #apply(long, FulcrumConfig, String)} of a config file, over whatever revision is current. */
    public DesiredState applyFile(FulcrumConfig fromFile, String cause)
            throws InvalidConfigException, ApplyException {
        try {
            return apply(Store.ANY_REVISION, fromFile, cause);
        } catch (StaleRevisionException e) {
            throw new IllegalStateException("a write with any revision was refused as stale", e);
        }
    }

    private void checkRevision(long expectedRevision) throws StaleRevisionException {
        if (expectedRevision != Store.ANY_REVISION && expectedRevision != current.revision()) {
            throw new StaleRevisionException(expectedRevision, current.revision());
        }
    }

    private DesiredState write(String cause, FulcrumConfig next, LastDeclared nextDeclared)
            throws StaleRevisionException, InvalidConfigException, ApplyException {
        DesiredState before = current;
        if (before.revision() > 0 && next.equals(before.config()) && nextDeclared.equals(lastDeclared)) {
            if (!served) {
                start(); // nothing to store, but the stored state is not served yet
            }
            return before; // nothing to change: no new revision (writes are idempotent)
        }
        List<ConfigProblem> problems = ConfigValidator.validate(next);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        applier.apply(next, before.revision() + 1);
        StoredRevision stored;
        try {
            stored = store.compareAndSet(before.revision(), encode(next, nextDeclared), cause);
        } catch (StaleRevisionException | RuntimeException e) {
            applier.apply(before.config(), before.revision()); // not stored: serve what is
            throw e;
        }
        served = true;
        current = new DesiredState(stored.revision(), stored.time(), stored.cause(), next);
        lastDeclared = nextDeclared;
        return current;
    }

    /** The kept revisions, oldest first, without reading their states (nothing is parsed or validated). */
    public List<RevisionInfo> revisions() {
        List<RevisionInfo> revisions = new ArrayList<>();
        for (StoredRevision revision : store.history()) {
            revisions.add(new RevisionInfo(revision.revision(), revision.time(), revision.cause()));
        }
        return revisions;
    }

    /** The kept revisions with their states, oldest first. */
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

    /** The stored document of a state: the config and the last declared values. */
    static String encode(FulcrumConfig config, LastDeclared declared) {
        ObjectNode document = JSON.createObjectNode();
        document.set("config", ConfigWriter.toTree(config));
        ObjectNode lastDeclared = document.putObject("lastDeclared");
        ObjectNode capacities = lastDeclared.putObject("desiredCapacities");
        declared.desiredCapacities().forEach(capacities::put);
        ObjectNode targets = lastDeclared.putObject("targets");
        declared.targets().forEach((group, addresses) -> addresses.stream().sorted()
                .forEach(targets.withArray(group)::add));
        return document.toString();
    }

    private static DesiredState decode(StoredRevision stored) throws InvalidConfigException {
        return decodeStored(stored).state;
    }

    private record Stored(DesiredState state, LastDeclared lastDeclared) {
    }

    private static Stored decodeStored(StoredRevision stored) throws InvalidConfigException {
        if (stored.document().isEmpty()) {
            return new Stored(new DesiredState(stored.revision(), stored.time(), stored.cause(),
                    new FulcrumConfig(List.of(), List.of())), LastDeclared.NONE);
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(stored.document());
        } catch (JsonProcessingException e) {
            tree = null; // not JSON: the config parser says what is wrong with it
        }
        FulcrumConfig config;
        LastDeclared declared = LastDeclared.NONE;
        if (tree != null && tree.isObject() && tree.has("config")) {
            config = ConfigLoader.parse(tree.get("config").toString());
            Map<String, Integer> capacities = new java.util.LinkedHashMap<>();
            tree.path("lastDeclared").path("desiredCapacities").fields()
                    .forEachRemaining(field -> capacities.put(field.getKey(), field.getValue().asInt()));
            Map<String, java.util.Set<String>> targets = new java.util.LinkedHashMap<>();
            tree.path("lastDeclared").path("targets").fields().forEachRemaining(field -> {
                java.util.Set<String> addresses = new java.util.LinkedHashSet<>();
                field.getValue().forEach(address -> addresses.add(address.asText()));
                targets.put(field.getKey(), addresses);
            });
            declared = new LastDeclared(capacities, targets);
        } else {
            config = ConfigLoader.parse(stored.document()); // the config alone, as first stored
        }
        return new Stored(new DesiredState(stored.revision(), stored.time(), stored.cause(), config), declared);
    }
}
