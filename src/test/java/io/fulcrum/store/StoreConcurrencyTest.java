package io.fulcrum.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers racing on one store, each a read-modify-write with the revision it read: conflicts are
 * refused as stale and retried, and no increment is lost.
 */
class StoreConcurrencyTest {
    private static final int WRITERS = 4;
    private static final int INCREMENTS = 25;

    @TempDir
    Path dir;

    @Test
    void fileStoreLosesNoUpdate() throws Exception {
        try (FileStore store = FileStore.open(dir, Clock.systemUTC(), 1000)) {
            raceOn(store);
        }
        try (FileStore reopened = FileStore.open(dir, Clock.systemUTC(), 1000)) {
            assertThat(reopened.current().document()).isEqualTo(Integer.toString(WRITERS * INCREMENTS));
        }
    }

    @Test
    void memoryStoreLosesNoUpdate() throws Exception {
        raceOn(new MemoryStore(Clock.systemUTC(), 1000));
    }

    private static void raceOn(Store store) throws Exception {
        store.compareAndSet(0, "0", "start");
        AtomicInteger conflicts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                Callable<Void> writer = () -> {
                    for (int i = 0; i < INCREMENTS; i++) {
                        while (true) {
                            StoredRevision read = store.current();
                            String next = Integer.toString(Integer.parseInt(read.document()) + 1);
                            try {
                                store.compareAndSet(read.revision(), next, "increment");
                                break;
                            } catch (StaleRevisionException e) {
                                assertThat(e.expected()).isEqualTo(read.revision());
                                assertThat(e.actual()).isGreaterThan(read.revision());
                                conflicts.incrementAndGet();
                                Thread.yield();
                            }
                        }
                    }
                    return null;
                };
                done.add(pool.submit(writer));
            }
            for (Future<Void> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.current().document()).isEqualTo(Integer.toString(WRITERS * INCREMENTS));
        assertThat(store.current().revision()).isEqualTo(1 + WRITERS * INCREMENTS);
        List<StoredRevision> history = store.history();
        for (int i = 0; i < history.size(); i++) {
            assertThat(history.get(i).document()).isEqualTo(Integer.toString(i)); // each revision one more
        }
    }
}
