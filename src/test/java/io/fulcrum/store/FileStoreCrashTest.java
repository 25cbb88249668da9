package io.fulcrum.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.control.ControlPlane;
import io.fulcrum.control.DesiredState;
import io.fulcrum.model.FulcrumConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a process in the middle of a burst of writes, several times over: every revision it
 * acknowledged is there after a reopen, with its content, and the current one parses.
 */
class FileStoreCrashTest {
    private static final int KEEP = 100_000;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRevisionSurvivesKillNine() throws Exception {
        Random random = new Random(6);
        List<long[]> acknowledged = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            List<String> lines = new CopyOnWriteArrayList<>();
            Writer writer = start(lines);
            Process process = writer.process();
            try {
                int wanted = 20 + random.nextInt(60);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a safety net, not an assertion
                while (acks(lines).size() < wanted && process.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(process.isAlive()).as("the writer is still writing: %s", lines).isTrue();
            } finally {
                process.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, mid-write
                process.waitFor(30, TimeUnit.SECONDS);
            }
            // every line the process printed before it died is read once its output ends: a sleep here raced
            writer.output().join(TimeUnit.SECONDS.toMillis(30));
            assertThat(writer.output().isAlive()).as("the writer's output has ended").isFalse();
            List<long[]> acks = acks(lines);
            assertThat(acks).isNotEmpty();
            acknowledged.addAll(acks);

            try (FileStore store = FileStore.open(dir, Clock.systemUTC(), KEEP)) {
                ControlPlane plane = new ControlPlane(store, (config, revision) -> { }); // parses the current one
                long last = acknowledged.get(acknowledged.size() - 1)[0];
                assertThat(plane.current().revision()).as("a write may have finished after its last ack was printed")
                        .isBetween(last, last + 1);
                assertThat(port(plane.current().config())).isEqualTo(StoreCrashWriter.port(plane.current().revision()));
                for (long[] ack : acknowledged) {
                    DesiredState state = plane.revision(ack[0]).orElseThrow(
                            () -> new AssertionError("acknowledged revision " + ack[0] + " is missing"));
                    assertThat(port(state.config())).as("revision %d", ack[0]).isEqualTo((int) ack[1]);
                }
                assertThat(store.history()).extracting(StoredRevision::revision)
                        .as("no gap, nothing half-written").isEqualTo(
                                java.util.stream.LongStream.rangeClosed(1, plane.current().revision()).boxed().toList());
            }
        }
    }

    /** A writer process and the thread that reads its output into a list until it ends. */
    private record Writer(Process process, Thread output) {
    }

    private Writer start(List<String> lines) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                StoreCrashWriter.class.getName(), dir.toString(), Integer.toString(KEEP));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process died
            }
        }, "crash-writer-output");
        reader.setDaemon(true);
        reader.start();
        return new Writer(process, reader);
    }

    private static List<long[]> acks(List<String> lines) {
        List<long[]> acks = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.split(" ");
            if (fields.length == 3 && fields[0].equals("ack")) {
                acks.add(new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[2])});
            }
        }
        return acks;
    }

    private static int port(FulcrumConfig config) {
        return config.targetGroup("web").targets().get(0).port();
    }
}
