package io.fulcrum.endtoend;

import static io.fulcrum.testing.TestConfigs.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fulcrum.config.ConfigLoader;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.InvalidConfigException;
import io.fulcrum.model.Target;
import io.fulcrum.testing.RunningFulcrum;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the file store with a real {@code kill -9} of a real {@code fulcrum run}: clients
 * register targets through the admin API, one per request, while the process is killed; a restart on the
 * same data directory serves a state that holds every acknowledged registration, at a revision no lower
 * than the last acknowledged one, and no half-written revision. Three kills in a row.
 *
 * <p>The restarts run without {@code --config}: a config file is declarative and owns the targets of the
 * groups it states (docs/config.md, "Who owns what"), so re-applying it would deregister the targets the
 * API registered, by design rather than by a crash. Without the file, the stored state is served as it is.
 */
class StoreCrashEndToEndTest {
    private static final int KILLS = 3;
    /** Acknowledged writes to wait for in each burst before the kill. */
    private static final int ACKS_BEFORE_KILL = 12;
    private static final int WRITERS = 2;

    @TempDir
    Path dir;

    /** One acknowledged registration: the target's port and the revision the answer named. */
    private record Ack(int port, long revision) {
    }

    @Test
    @Timeout(150)
    void everyAcknowledgedWriteSurvivesAKillDuringABurstOfWrites() throws Exception {
        Path config = dir.resolve("fulcrum.yaml");
        Files.writeString(config, web(RunningFulcrum.freePort()).checksOff().yaml());
        Path data = dir.resolve("data");
        List<Ack> acknowledged = new ArrayList<>();
        AtomicInteger nextPort = new AtomicInteger(31000);
        FulcrumProcess run = FulcrumProcess.start(dir, "run", "--config", config.toString(), "--data-dir", data.toString());
        try {
            AdminApi api = AdminApi.connect(run, data, Duration.ofSeconds(60));
            for (int kill = 1; kill <= KILLS; kill++) {
                Burst burst = new Burst(api, nextPort);
                FulcrumProcess killed = run;
                burst.start();
                try {
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                        assertThat(burst.failures).as("writes refused").isEmpty();
                        assertThat(burst.acks).as(killed.output()).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
                    });
                    assertThat(burst.anyRunning()).as("the writers are still sending when the kill comes").isTrue();
                    killed.signal("KILL");
                    assertThat(killed.waitForExit(30)).as("killed by SIGKILL").isEqualTo(128 + 9);
                } finally {
                    burst.stop();
                }
                assertThat(burst.failures).as("writes refused").isEmpty();
                acknowledged.addAll(burst.acks);

                run = FulcrumProcess.start(dir, "run", "--data-dir", data.toString());
                api = AdminApi.connect(run, data, Duration.ofSeconds(60));
                assertEveryAcknowledgedWriteIsThere(api, acknowledged, kill);
                try (Stream<Path> files = Files.list(data.resolve("store"))) {
                    assertThat(files.map(f -> f.getFileName().toString()))
                            .as("no temporary file of an interrupted write is left").noneMatch(n -> n.startsWith(".tmp-"));
                }
            }
            run.signal("TERM");
            assertThat(run.waitForExit(60)).as(run.output()).isZero();
        } finally {
            run.close();
        }
    }

    private static void assertEveryAcknowledgedWriteIsThere(AdminApi api, List<Ack> acknowledged, int kill)
            throws IOException, InterruptedException, InvalidConfigException {
        JsonNode state = api.json("/v1/state");
        long lastAcknowledged = acknowledged.stream().mapToLong(Ack::revision).max().orElseThrow();
        assertThat(state.path("revision").asLong()).as("the revision after kill %d", kill)
                .isGreaterThanOrEqualTo(lastAcknowledged);
        FulcrumConfig config = ConfigLoader.parse(state.path("config").toString()); // the state parses whole
        Set<Integer> ports = new HashSet<>();
        for (Target target : config.targetGroup("web").targets()) {
            assertThat(target.id()).isEqualTo("127.0.0.1");
            ports.add(target.port());
        }
        assertThat(ports).as("the registered targets after kill %d", kill)
                .containsAll(acknowledged.stream().map(Ack::port).toList());
        // each answer's revision is the one that holds the write: acknowledged means stored as that revision
        for (Ack ack : acknowledged.subList(Math.max(0, acknowledged.size() - 20), acknowledged.size())) {
            JsonNode revision = api.json("/v1/revisions/" + ack.revision());
            List<Integer> then = new ArrayList<>();
            ConfigLoader.parse(revision.path("config").toString()).targetGroup("web").targets()
                    .forEach(t -> then.add(t.port()));
            assertThat(then).as("revision %d", ack.revision()).contains(ack.port());
        }
    }

    /** {@link #WRITERS} threads registering one new target per request until the process stops answering. */
    private static final class Burst {
        final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stopped;

        Burst(AdminApi api, AtomicInteger nextPort) {
            for (int i = 0; i < WRITERS; i++) {
                threads.add(new Thread(() -> write(api, nextPort), "store-crash-writer-" + i));
            }
        }

        void start() {
            threads.forEach(Thread::start);
        }

        boolean anyRunning() {
            return threads.stream().anyMatch(Thread::isAlive);
        }

        private void write(AdminApi api, AtomicInteger nextPort) {
            while (!stopped) {
                int port = nextPort.getAndIncrement();
                HttpResponse<String> response;
                try {
                    response = api.post("/v1/target-groups/web/targets/register",
                            "{\"targets\": [{\"id\": \"127.0.0.1\", \"port\": " + port + "}]}");
                } catch (IOException e) {
                    return; // the process is gone: this write was never acknowledged
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (response.statusCode() / 100 == 2) {
                    acks.add(new Ack(port, AdminApi.revision(response)));
                } else {
                    failures.add(port + ": " + response.statusCode() + " " + response.body());
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            for (Thread thread : threads) {
                thread.join(30_000);
                assertThat(thread.isAlive()).as(thread.getName() + " stopped").isFalse();
            }
        }
    }
}
