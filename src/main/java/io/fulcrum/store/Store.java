package io.fulcrum.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the desired state lives. Writes are compare-and-set on the revision, so two writers never
 * overwrite each other unknowingly; a write that returned is durable.
 */
public interface Store extends AutoCloseable {
    /** Any revision: a compare-and-set with this expectation always applies. */
    long ANY_REVISION = -1;

    /** The newest revision, or {@link StoredRevision#EMPTY}. */
    StoredRevision current();

    /**
     * Writes the next revision when the current one is {@code expectedRevision} (or always, with
     * {@link #ANY_REVISION}); returns once it is durable.
     *
     * @throws StaleRevisionException when another revision was written since
     */
    StoredRevision compareAndSet(long expectedRevision, String document, String cause) throws StaleRevisionException;

    /** One kept revision. */
    Optional<StoredRevision> revision(long revision);

    /** The kept revisions, oldest first (the newest N; older ones are dropped). */
    List<StoredRevision> history();

    /**
     * Calls {@code listener} with every revision after {@code afterRevision}, first those already
     * stored, then each new one, in order and on one thread at a time. A watcher that fell behind the
     * kept history gets the current revision (the whole state), not the gap.
     */
    Subscription watch(long afterRevision, Consumer<StoredRevision> listener);

    @Override
    void close();

    /** A watch; cancel to stop it. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
