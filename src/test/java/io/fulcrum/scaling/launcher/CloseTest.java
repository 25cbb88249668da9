package io.fulcrum.scaling.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.scaling.ExitReason;
import io.fulcrum.scaling.Instance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** close() (Fulcrum's exit) leaves no process behind, unless told to keep instances for a later adoption. */
class CloseTest {
    @TempDir
    Path data;

    @AfterEach
    void stop() throws Exception {
        Instances.killAll(data);
    }

    @Test
    void closeStopsEveryInstanceAndItsChildren() throws Exception {
        LocalProcessLauncher launcher = Instances.launcher(data).build();
        Instance plain = launcher.launch(Instances.request(Instances.shell("exec sleep 60", Duration.ofSeconds(5)))).get();
        Instance stubborn = launcher.launch(Instances.request(
                Instances.shell("trap '' TERM; sleep 60 & wait", Duration.ofMillis(200)))).get();
        await().until(() -> ProcessHandle.of(stubborn.pid()).orElseThrow().children().count() == 1);
        List<Long> pids = new ArrayList<>(List.of(plain.pid(), stubborn.pid()));
        ProcessHandle.of(stubborn.pid()).orElseThrow().descendants().forEach(h -> pids.add(h.pid()));

        launcher.close();

        assertThat(pids).hasSize(3).allMatch(Instances::gone);
        assertThat(plain.onExit()).isCompleted();
        assertThat(stubborn.onExit().get().reason()).isEqualTo(ExitReason.KILLED);
        try (var files = Files.list(data.resolve("instances"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".json"))).isEmpty();
        }
        assertThat(launcher.launch(Instances.request(Instances.shell("exec sleep 60", Duration.ofSeconds(5)))))
                .isCompletedExceptionally();
    }

    @Test
    void closeStopsAnInstanceThatIsStillStarting() throws Exception {
        LocalProcessLauncher launcher = Instances.launcher(data).quickExitWindow(Duration.ofMinutes(5)).build();
        var launch = launcher.launch(Instances.request(Instances.shell("exec sleep 60", Duration.ofSeconds(5))));
        await().until(() -> recordedPid() > 0);
        long pid = recordedPid();

        launcher.close();

        assertThat(Instances.gone(pid)).isTrue();
        await().until(launch::isDone);
        assertThat(launch).isCompletedExceptionally();
    }

    @Test
    void keepInstancesOnExitLeavesThemRunning() throws Exception {
        LocalProcessLauncher launcher = Instances.launcher(data).keepInstancesOnExit(true).build();
        Instance instance = launcher.launch(Instances.request(Instances.shell("exec sleep 60", Duration.ofSeconds(5)))).get();

        launcher.close();

        assertThat(instance.isAlive()).isTrue();
        assertThat(data.resolve("instances").resolve(instance.id() + ".json")).exists();
    }

    private long recordedPid() throws Exception {
        try (var files = Files.list(data.resolve("instances"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                return new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile()).get("pid").asLong();
            }
        }
        return -1;
    }
}
