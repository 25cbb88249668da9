package io.fulcrum.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer: a full queue drops and counts; files rotate by size and by day, gzipped; old ones pruned. */
class AccessLogWriterTest {
    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(Instant.parse("2024-05-01T23:59:00Z").toEpochMilli());
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return now.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };

    private static AccessLogEntry entry(String id) {
        AccessLogEntry e = AccessLogFormatTest.forwarded();
        return new AccessLogEntry(e.type(), e.timeMillis(), e.elb(), e.clientIp(), e.clientPort(), e.target(),
                e.requestProcessingNanos(), e.targetProcessingNanos(), e.responseProcessingNanos(), e.elbStatusCode(),
                e.targetStatusCode(), e.receivedBytes(), e.sentBytes(), e.method(), e.scheme(), e.host(), e.port(),
                e.uri(), e.httpVersion(), e.userAgent(), e.targetGroup(), id, e.matchedRulePriority(),
                e.requestCreationMillis(), e.actionsExecuted(), e.redirectUrl(), e.errorReason(), e.targetList(),
                e.targetStatusList(), e.connTraceId());
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
        Path file = dir.resolve("access.log");
        AccessLogWriter writer = new AccessLogWriter(file, 1 << 20, 5, 3, clock); // not started: nothing drains
        List<Boolean> accepted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            accepted.add(writer.offer(entry("r" + i)));
        }
        assertThat(accepted).containsExactly(true, true, true, false, false);
        assertThat(writer.dropped()).isEqualTo(2);
        writer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.written() == 3);
        assertThat(writer.offer(entry("r5"))).isTrue(); // room again once drained
        writer.close();
        assertThat(writer.offer(entry("late"))).isFalse();
        assertThat(writer.dropped()).isEqualTo(3);
        List<String> ids = Files.readAllLines(file).stream().map(line -> AccessLogLines.fields(line).get(17)).toList();
        assertThat(ids).containsExactly("r0", "r1", "r2", "r5");
    }

    @Test
    void rotatesBySizeAndCompressesRotatedFiles() throws Exception {
        Path file = dir.resolve("access.log");
        int lineLength = AccessLogFormat.format(entry("r00")).length() + 1;
        AccessLogWriter writer = AccessLogWriter.open(file, 3L * lineLength, 100, clock); // three lines a file
        for (int i = 0; i < 10; i++) {
            writer.offer(entry(String.format("r%02d", i)));
            int expected = i + 1;
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.written() == expected); // keep order simple
        }
        writer.close();
        List<Path> rotated = rotated(file);
        assertThat(rotated).extracting(p -> p.getFileName().toString()).containsExactly(
                "access.log.2024-05-01.1.gz", "access.log.2024-05-01.2.gz", "access.log.2024-05-01.3.gz");
        List<String> ids = new ArrayList<>();
        for (Path gz : rotated) {
            List<String> lines = gunzip(gz);
            assertThat(lines).hasSize(3);
            lines.forEach(line -> ids.add(AccessLogLines.fields(line).get(17)));
        }
        Files.readAllLines(file).forEach(line -> ids.add(AccessLogLines.fields(line).get(17)));
        assertThat(ids).containsExactly("r00", "r01", "r02", "r03", "r04", "r05", "r06", "r07", "r08", "r09");
    }

    @Test
    void keepsOnlyMaxFilesRotatedFiles() throws Exception {
        Path file = dir.resolve("access.log");
        int lineLength = AccessLogFormat.format(entry("r00")).length() + 1;
        AccessLogWriter writer = AccessLogWriter.open(file, lineLength, 2, clock); // one line a file
        for (int i = 0; i < 12; i++) {
            writer.offer(entry(String.format("r%02d", i)));
            int expected = i + 1;
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.written() == expected);
        }
        writer.close();
        List<Path> rotated = rotated(file);
        assertThat(rotated).extracting(p -> p.getFileName().toString())
                .containsExactly("access.log.2024-05-01.10.gz", "access.log.2024-05-01.11.gz");
        assertThat(AccessLogLines.fields(gunzip(rotated.get(1)).get(0)).get(17)).isEqualTo("r10");
    }

    @Test
    void rotatesWhenTheUtcDayChanges() throws Exception {
        Path file = dir.resolve("logs/access.log"); // the directory is created
        AccessLogWriter writer = AccessLogWriter.open(file, 1 << 20, 10, clock);
        writer.offer(entry("day1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.written() == 1);
        now.addAndGet(Duration.ofMinutes(2).toMillis()); // 2024-05-02T00:01Z
        writer.offer(entry("day2"));
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.written() == 2);
        writer.close();
        Path yesterday = file.resolveSibling("access.log.2024-05-01.1.gz");
        assertThat(gunzip(yesterday)).hasSize(1).allMatch(line -> AccessLogLines.fields(line).get(17).equals("day1"));
        assertThat(Files.readAllLines(file)).hasSize(1)
                .allMatch(line -> AccessLogLines.fields(line).get(17).equals("day2"));
    }

    private static List<Path> rotated(Path file) throws IOException {
        try (Stream<Path> files = Files.list(file.getParent())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".gz"))
                    .sorted(java.util.Comparator.comparingInt(AccessLogWriterTest::index)).toList();
        }
    }

    private static int index(Path gz) {
        String name = gz.getFileName().toString();
        String[] parts = name.split("\\.");
        return Integer.parseInt(parts[parts.length - 2]);
    }

    private static List<String> gunzip(Path gz) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
