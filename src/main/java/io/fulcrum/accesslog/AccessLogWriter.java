package io.fulcrum.accesslog;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One load balancer's access log file. {@link #offer} is called on event loops: it never blocks and takes
 * no lock (a lock-free queue bounded by a counter); when the queue is full the entry is dropped and
 * counted. A writer thread of its own formats and appends the lines; when the file would pass
 * {@code maxFileSize}, or the UTC day changes, it is renamed to {@code <file>.<yyyy-MM-dd>.<n>} and
 * gzipped (on another thread) to {@code <file>.<yyyy-MM-dd>.<n>.gz}; the oldest beyond {@code maxFiles}
 * are deleted.
 */
public final class AccessLogWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLogWriter.class);
    /** Lines that may wait for the writer: at ~300 bytes a line, about 20 MB at most. */
    public static final int DEFAULT_QUEUE_CAPACITY = 65_536;
    /** How long the writer sleeps when the queue is empty: lines reach the file within about this. */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Path path;
    private final long maxFileSize;
    private final int maxFiles;
    private final int capacity;
    private final Clock clock;
    private final Queue<AccessLogEntry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final ExecutorService compressor;
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean started;

    // writer thread only
    private OutputStream out;
    private long fileSize;
    private LocalDate fileDay;
    private long nextDayMillis;

    /**
     * Opens (appending to) the file and starts the writer.
     *
     * @throws IOException when the directory cannot be created or the file opened
     */
    public static AccessLogWriter open(Path path, long maxFileSize, int maxFiles, Clock clock) throws IOException {
        AccessLogWriter writer = new AccessLogWriter(path, maxFileSize, maxFiles, DEFAULT_QUEUE_CAPACITY, clock);
        writer.start();
        return writer;
    }

    /** A writer whose thread is not started yet (tests fill its queue first). */
    AccessLogWriter(Path path, long maxFileSize, int maxFiles, int capacity, Clock clock) throws IOException {
        this.path = Objects.requireNonNull(path, "path").toAbsolutePath();
        this.maxFileSize = maxFileSize;
        this.maxFiles = maxFiles;
        this.capacity = capacity;
        this.clock = Objects.requireNonNull(clock, "clock");
        Path dir = this.path.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        openFile();
        String name = this.path.getFileName().toString();
        this.compressor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fulcrum-access-log-gzip-" + name);
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::run, "fulcrum-access-log-" + name);
        this.thread.setDaemon(true);
    }

    void start() {
        started = true;
        thread.start();
    }

    public Path path() {
        return path;
    }

    public long maxFileSize() {
        return maxFileSize;
    }

    public int maxFiles() {
        return maxFiles;
    }

    /** Queues an entry; false (and counted as dropped) when the queue is full or the log is closed. */
    public boolean offer(AccessLogEntry entry) {
        if (closing) {
            dropped.increment();
            return false;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            dropped.increment();
            return false;
        }
        queue.offer(entry);
        return true;
    }

    /** Entries dropped because the queue was full (or the log closed). */
    public long dropped() {
        return dropped.sum();
    }

    /** Lines written to the file. */
    public long written() {
        return written.sum();
    }

    private void run() {
        while (true) {
            AccessLogEntry entry = queue.poll();
            if (entry == null) {
                flush();
                if (closing && queue.isEmpty()) {
                    break;
                }
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                continue;
            }
            queued.decrementAndGet();
            try {
                write(entry);
            } catch (IOException | RuntimeException e) {
                dropped.increment();
                LOG.warn("Access log {}: cannot write a line: {}", path, e.toString());
            }
        }
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("Access log {}: cannot close: {}", path, e.toString());
        }
    }

    private void write(AccessLogEntry entry) throws IOException {
        byte[] line = (AccessLogFormat.format(entry) + "\n").getBytes(StandardCharsets.UTF_8);
        long now = clock.millis();
        if (now >= nextDayMillis || (fileSize > 0 && fileSize + line.length > maxFileSize)) {
            rotate(now);
        }
        out.write(line);
        fileSize += line.length;
        written.increment();
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            LOG.warn("Access log {}: cannot flush: {}", path, e.toString());
        }
    }

    private void openFile() throws IOException {
        out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), 64 * 1024);
        fileSize = Files.size(path);
        long now = clock.millis();
        fileDay = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC).toLocalDate();
        nextDayMillis = fileDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** Renames the current file aside, opens a fresh one, and gzips the old one off this thread. */
    private void rotate(long now) throws IOException {
        if (fileSize == 0) {
            out.close();
            openFile(); // an empty file is not worth keeping: just move on to the new day
            return;
        }
        out.close();
        String base = path.getFileName() + "." + fileDay + ".";
        // one past the highest index of the day, never a gap pruning left: the index orders the files
        int n = highestIndex(base) + 1;
        Path rotated = path.resolveSibling(base + n);
        Files.move(path, rotated);
        openFile();
        compressor.execute(() -> compress(rotated));
    }

    /** The highest n of the files "base + n" and "base + n.gz", or 0 when there is none. */
    private int highestIndex(String base) throws IOException {
        int highest = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path.getParent(), base + "*")) {
            for (Path file : files) {
                String rest = file.getFileName().toString().substring(base.length());
                if (rest.endsWith(".gz")) {
                    rest = rest.substring(0, rest.length() - ".gz".length());
                }
                try {
                    highest = Math.max(highest, Integer.parseInt(rest));
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            }
        }
        return highest;
    }

    private void compress(Path rotated) {
        Path gz = rotated.resolveSibling(rotated.getFileName() + ".gz");
        try (InputStream in = Files.newInputStream(rotated);
             OutputStream zipped = new GZIPOutputStream(Files.newOutputStream(gz), 64 * 1024)) {
            in.transferTo(zipped);
        } catch (IOException e) {
            LOG.warn("Access log {}: cannot compress {}: {}", path, rotated, e.toString());
            return;
        }
        try {
            Files.delete(rotated);
            prune();
        } catch (IOException e) {
            LOG.warn("Access log {}: cannot clean up rotated files: {}", path, e.toString());
        }
    }

    /** Keeps the newest {@code maxFiles} rotated files. */
    private void prune() throws IOException {
        String prefix = path.getFileName() + ".";
        List<Path> rotated = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path.getParent(), prefix + "*.gz")) {
            files.forEach(rotated::add);
        }
        if (rotated.size() <= maxFiles) {
            return;
        }
        rotated.sort(Comparator.comparing((Path p) -> rotatedDay(p, prefix)).thenComparingInt(p -> rotatedIndex(p)));
        for (Path old : rotated.subList(0, rotated.size() - maxFiles)) {
            Files.deleteIfExists(old);
        }
    }

    /** "2024-05-01" of "access.log.2024-05-01.3.gz". */
    private static String rotatedDay(Path file, String prefix) {
        String name = file.getFileName().toString().substring(prefix.length());
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** 3 of "access.log.2024-05-01.3.gz". */
    private static int rotatedIndex(Path file) {
        String name = file.getFileName().toString();
        String withoutGz = name.substring(0, name.length() - ".gz".length());
        try {
            return Integer.parseInt(withoutGz.substring(withoutGz.lastIndexOf('.') + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Writes what is queued, closes the file and waits for pending compressions. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        if (started) {
            LockSupport.unpark(thread);
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            try {
                out.close();
            } catch (IOException e) {
                LOG.warn("Access log {}: cannot close: {}", path, e.toString());
            }
        }
        compressor.shutdown();
        try {
            compressor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
