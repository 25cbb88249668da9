package io.fulcrum.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default store: one file per kept revision in a directory. A revision is written to a temporary
 * file, fsynced, renamed to its final name and the directory fsynced before the write is acknowledged,
 * so a crash at any moment leaves every acknowledged revision whole and no half-written one visible.
 * The newest file is the current revision. One process at a time holds the directory (a lock file).
 */
public final class FileStore implements Store {
    /** Revisions kept for history and rollback unless told otherwise. */
    public static final int DEFAULT_KEEP = 100;

    private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("revision-(\\d{20})\\.json");
    private static final String TEMP_PREFIX = ".tmp-";
    private static final String LOCK_FILE = "store.lock";
    private static final int FORMAT = 1;

    private final Path directory;
    private final Clock clock;
    private final int keep;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** The kept revisions by number; the last is the current one. */
    private final TreeMap<Long, StoredRevision> kept = new TreeMap<>();
    private final List<Consumer<StoredRevision>> watchers = new CopyOnWriteArrayList<>();
    private boolean closed;

    private FileStore(Path directory, Clock clock, int keep, FileChannel lockChannel, FileLock lock) {
        this.directory = directory;
        this.clock = clock;
        this.keep = keep;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens (creating it if needed) the store in {@code directory}, keeping {@link #DEFAULT_KEEP} revisions. */
    public static FileStore open(Path directory) throws IOException {
        return open(directory, Clock.systemUTC(), DEFAULT_KEEP);
    }

    /**
     * Opens the store in {@code directory}: removes temporary files a crash left, reads every kept
     * revision and takes the directory's lock.
     *
     * @throws IOException when a revision file is corrupt (the message names it), the directory is held
     *     by another process, or it cannot be read
     */
    public static FileStore open(Path directory, Clock clock, int keep) throws IOException {
        if (keep < 1) {
            throw new IllegalArgumentException("keep: " + keep + " (expected: 1 or more)");
        }
        Files.createDirectories(directory);
        FileChannel channel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException(directory + ": the store is in use by another Fulcrum (its lock "
                    + directory.resolve(LOCK_FILE) + " is held)");
        }
        FileStore store = new FileStore(directory, clock, keep, channel, lock);
        try {
            store.load();
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** The directory the revision files live in. */
    public Path directory() {
        return directory;
    }

    private void load() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(TEMP_PREFIX)) {
                    // a write that crashed before its rename: never acknowledged, so never there
                    Files.deleteIfExists(file);
                    LOG.info("Store {}: removed {}, left by an interrupted write", directory, name);
                    continue;
                }
                Matcher matcher = NAME.matcher(name);
                if (matcher.matches()) {
                    StoredRevision revision = read(file);
                    if (revision.revision() != Long.parseLong(matcher.group(1))) {
                        throw new IOException(file + ": holds revision " + revision.revision()
                                + " (expected: " + Long.parseLong(matcher.group(1)) + ", as its name says)");
                    }
                    kept.put(revision.revision(), revision);
                }
            }
        }
        prune();
    }

    private static StoredRevision read(Path file) throws IOException {
        JsonNode tree;
        try {
            tree = JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": corrupt revision file, not JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (tree == null || !tree.isObject() || !tree.path("revision").canConvertToLong()
                || !tree.path("time").isTextual() || !tree.path("cause").isTextual()
                || !tree.path("document").isTextual()) {
            throw new IOException(file + ": corrupt revision file (expected: an object with revision, time, cause"
                    + " and document)");
        }
        try {
            return new StoredRevision(tree.get("revision").asLong(), Instant.parse(tree.get("time").asText()),
                    tree.get("cause").asText(), tree.get("document").asText());
        } catch (RuntimeException e) {
            throw new IOException(file + ": corrupt revision file (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public synchronized StoredRevision current() {
        return kept.isEmpty() ? StoredRevision.EMPTY : kept.lastEntry().getValue();
    }

    @Override
    public synchronized StoredRevision compareAndSet(long expectedRevision, String document, String cause)
            throws StaleRevisionException {
        if (closed) {
            throw new IllegalStateException("store " + directory + " is closed");
        }
        StoredRevision current = current();
        if (expectedRevision != ANY_REVISION && expectedRevision != current.revision()) {
            throw new StaleRevisionException(expectedRevision, current.revision());
        }
        StoredRevision next = new StoredRevision(current.revision() + 1, clock.instant(), cause, document);
        try {
            write(next);
        } catch (IOException e) {
            throw new UncheckedIOException("store " + directory + ": cannot write revision " + next.revision(), e);
        }
        kept.put(next.revision(), next);
        prune();
        for (Consumer<StoredRevision> watcher : watchers) {
            watcher.accept(next);
        }
        return next;
    }

    /** Temporary file, fsync, rename to the final name, fsync of the directory: then it is acknowledged. */
    private void write(StoredRevision revision) throws IOException {
        ObjectNode tree = JSON.createObjectNode();
        tree.put("format", FORMAT);
        tree.put("revision", revision.revision());
        tree.put("time", revision.time().toString());
        tree.put("cause", revision.cause());
        tree.put("document", revision.document());
        byte[] bytes = JSON.writeValueAsBytes(tree);
        Path temp = directory.resolve(TEMP_PREFIX + revision.revision() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Path target = file(revision.revision());
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        syncDirectory();
    }

    private void syncDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory for sync; the rename is then as durable as they allow
            LOG.debug("Store {}: cannot fsync the directory: {}", directory, e.toString());
        }
    }

    /** Drops the revisions beyond the newest {@code keep}, in memory and on disk. */
    private void prune() {
        while (kept.size() > keep) {
            long oldest = kept.firstKey();
            kept.remove(oldest);
            try {
                Files.deleteIfExists(file(oldest));
            } catch (IOException e) {
                LOG.warn("Store {}: cannot delete old revision {}: {}", directory, oldest, e.toString());
            }
        }
    }

    private Path file(long revision) {
        return directory.resolve(String.format("revision-%020d.json", revision));
    }

    @Override
    public synchronized Optional<StoredRevision> revision(long revision) {
        return Optional.ofNullable(kept.get(revision));
    }

    @Override
    public synchronized List<StoredRevision> history() {
        return new ArrayList<>(kept.values());
    }

    @Override
    public synchronized Subscription watch(long afterRevision, Consumer<StoredRevision> listener) {
        StoredRevision current = current();
        if (current.revision() > afterRevision) {
            if (!kept.isEmpty() && kept.firstKey() <= afterRevision + 1) {
                kept.tailMap(afterRevision, false).values().forEach(listener);
            } else {
                listener.accept(current); // fell behind the kept history: the whole state
            }
        }
        watchers.add(listener);
        return () -> watchers.remove(listener);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        watchers.clear();
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.debug("Store {}: cannot release its lock: {}", directory, e.toString());
        }
    }
}
