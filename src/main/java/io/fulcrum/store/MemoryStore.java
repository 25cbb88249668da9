package io.fulcrum.store;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A store kept in memory only: for tests and for runs that want no state on disk. */
public final class MemoryStore implements Store {
    private final Clock clock;
    private final int keep;
    private final Deque<StoredRevision> history = new ArrayDeque<>();
    private final List<Consumer<StoredRevision>> watchers = new CopyOnWriteArrayList<>();
    private StoredRevision current = StoredRevision.EMPTY;

    public MemoryStore(Clock clock, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep: " + keep + " (expected: 1 or more)");
        }
        this.clock = clock;
        this.keep = keep;
    }

    @Override
    public synchronized StoredRevision current() {
        return current;
    }

    @Override
    public synchronized StoredRevision compareAndSet(long expectedRevision, String document, String cause)
            throws StaleRevisionException {
        if (expectedRevision != ANY_REVISION && expectedRevision != current.revision()) {
            throw new StaleRevisionException(expectedRevision, current.revision());
        }
        current = new StoredRevision(current.revision() + 1, clock.instant(), cause, document);
        history.addLast(current);
        while (history.size() > keep) {
            history.removeFirst();
        }
        for (Consumer<StoredRevision> watcher : watchers) {
            watcher.accept(current);
        }
        return current;
    }

    @Override
    public synchronized Optional<StoredRevision> revision(long revision) {
        return history.stream().filter(r -> r.revision() == revision).findFirst();
    }

    @Override
    public synchronized List<StoredRevision> history() {
        return new ArrayList<>(history);
    }

    @Override
    public synchronized Subscription watch(long afterRevision, Consumer<StoredRevision> listener) {
        if (current.revision() > afterRevision) {
            StoredRevision oldest = history.peekFirst();
            if (oldest != null && oldest.revision() <= afterRevision + 1) {
                history.stream().filter(r -> r.revision() > afterRevision).forEach(listener);
            } else {
                listener.accept(current); // fell behind the kept history: the whole state
            }
        }
        watchers.add(listener);
        return () -> watchers.remove(listener);
    }

    @Override
    public void close() {
        watchers.clear();
    }
}
