package io.fulcrum.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store: revisions survive a reopen, history is bounded, debris and damage are handled. */
class FileStoreTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void revisionsSurviveAReopenWithTheirCauseTimeAndDocument() throws Exception {
        try (FileStore store = FileStore.open(dir, CLOCK, 10)) {
            assertThat(store.current()).isEqualTo(StoredRevision.EMPTY);
            assertThat(store.compareAndSet(0, "{\"a\":1}", "first").revision()).isEqualTo(1);
            assertThat(store.compareAndSet(1, "{\"a\":2}", "second \"quoted\"").revision()).isEqualTo(2);
        }
        try (FileStore store = FileStore.open(dir, CLOCK, 10)) {
            assertThat(store.current()).isEqualTo(new StoredRevision(2, CLOCK.instant(), "second \"quoted\"", "{\"a\":2}"));
            assertThat(store.revision(1)).hasValue(new StoredRevision(1, CLOCK.instant(), "first", "{\"a\":1}"));
            assertThat(store.history()).extracting(StoredRevision::revision).containsExactly(1L, 2L);
            assertThat(store.compareAndSet(2, "{\"a\":3}", "third").revision()).isEqualTo(3);
        }
    }

    @Test
    void aStaleRevisionIsRefusedAndNothingIsWritten() throws Exception {
        try (FileStore store = FileStore.open(dir, CLOCK, 10)) {
            store.compareAndSet(0, "one", "first");
            assertThatThrownBy(() -> store.compareAndSet(0, "two", "late"))
                    .isInstanceOf(StaleRevisionException.class)
                    .hasMessage("revision 0 is not the current one (current: 1)");
            assertThat(store.current().document()).isEqualTo("one");
            assertThat(store.compareAndSet(Store.ANY_REVISION, "three", "any").revision()).isEqualTo(2);
        }
        assertThat(revisionFiles()).hasSize(2);
    }

    @Test
    void keepsTheNewestRevisionsOnly() throws Exception {
        try (FileStore store = FileStore.open(dir, CLOCK, 3)) {
            for (int i = 1; i <= 7; i++) {
                store.compareAndSet(i - 1, "doc " + i, "write " + i);
            }
            assertThat(store.history()).extracting(StoredRevision::revision).containsExactly(5L, 6L, 7L);
            assertThat(store.revision(4)).isEmpty();
        }
        assertThat(revisionFiles()).hasSize(3);
        try (FileStore store = FileStore.open(dir, CLOCK, 2)) {
            assertThat(store.history()).extracting(StoredRevision::revision).containsExactly(6L, 7L);
        }
        assertThat(revisionFiles()).hasSize(2);
    }

    @Test
    void temporaryFilesOfAnInterruptedWriteAreRemovedAtOpen() throws Exception {
        try (FileStore store = FileStore.open(dir, CLOCK, 10)) {
            store.compareAndSet(0, "one", "first");
        }
        Files.writeString(dir.resolve(".tmp-2-abc"), "{\"revision\": 2, \"ti"); // a write cut short
        try (FileStore store = FileStore.open(dir, CLOCK, 10)) {
            assertThat(store.current().revision()).isEqualTo(1);
            assertThat(store.compareAndSet(1, "two", "second").revision()).isEqualTo(2);
        }
        assertThat(Files.exists(dir.resolve(".tmp-2-abc"))).isFalse();
    }

    @Test
    void aCorruptRevisionFileIsAnErrorNamingIt() throws Exception {
        try (FileStore store = FileStore.open(dir, CLOCK, 10)) {
            store.compareAndSet(0, "one", "first");
            store.compareAndSet(1, "two", "second");
        }
        Path second = dir.resolve("revision-00000000000000000002.json");
        Files.write(second, "{\"revision\": 2, \"time\"".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> FileStore.open(dir, CLOCK, 10))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(second + ": corrupt revision file, not JSON");
        Files.writeString(second, "{\"revision\": 2}");
        assertThatThrownBy(() -> FileStore.open(dir, CLOCK, 10))
                .hasMessage(second + ": corrupt revision file (expected: an object with revision, time, cause and document)");
        Files.writeString(second, "{\"revision\": 3, \"time\": \"2024-05-01T10:00:00Z\", \"cause\": \"c\", \"document\": \"d\"}");
        assertThatThrownBy(() -> FileStore.open(dir, CLOCK, 10))
                .hasMessage(second + ": holds revision 3 (expected: 2, as its name says)");
    }

    @Test
    void oneOpenStoreHoldsTheDirectory() throws Exception {
        try (FileStore store = FileStore.open(dir, CLOCK, 10)) {
            assertThatThrownBy(() -> FileStore.open(dir, CLOCK, 10))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("the store is in use by another Fulcrum");
        }
        try (FileStore again = FileStore.open(dir, CLOCK, 10)) {
            assertThat(again.current().revision()).isZero(); // released at close
        }
    }

    @Test
    void aWatchResumesFromARevisionAndOneThatFellBehindGetsTheWholeState() throws Exception {
        try (FileStore store = FileStore.open(dir, CLOCK, 3)) {
            for (int i = 1; i <= 5; i++) {
                store.compareAndSet(i - 1, "doc " + i, "write " + i);
            }
            List<Long> resumed = new ArrayList<>();
            List<Long> behind = new ArrayList<>();
            List<Long> current = new ArrayList<>();
            Store.Subscription a = store.watch(3, r -> resumed.add(r.revision()));
            Store.Subscription b = store.watch(1, r -> behind.add(r.revision()));
            Store.Subscription c = store.watch(5, r -> current.add(r.revision()));
            assertThat(resumed).containsExactly(4L, 5L);
            assertThat(behind).as("revision 2 is no longer kept: the current state instead").containsExactly(5L);
            assertThat(current).isEmpty();
            store.compareAndSet(5, "doc 6", "write 6");
            a.close();
            store.compareAndSet(6, "doc 7", "write 7");
            assertThat(resumed).containsExactly(4L, 5L, 6L);
            assertThat(behind).containsExactly(5L, 6L, 7L);
            assertThat(current).containsExactly(6L, 7L);
            b.close();
            c.close();
        }
    }

    private List<Path> revisionFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("revision-")).toList();
        }
    }
}
