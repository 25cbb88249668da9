package io.fulcrum.scaling.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fulcrum.model.LaunchTemplate;
import io.fulcrum.scaling.Instance;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An instance that loses its port to another process before binding it is relaunched once on another port. */
class PortConflictTest {
    @TempDir
    Path data;
    LocalProcessLauncher launcher;

    @AfterEach
    void stop() throws Exception {
        if (launcher != null) {
            launcher.close();
        }
        Instances.killAll(data);
    }

    @Test
    void anInstanceWhosePortIsTakenBeforeItBindsIsRelaunchedOnAnother() throws Exception {
        Path go = data.resolve("go");
        // the instance waits for the test to take its port first: the race made deterministic
        List<String> command = new ArrayList<>(List.of("sh", "-c",
                "while [ ! -e " + go + " ]; do sleep 0.02; done; exec \"$0\" \"$@\""));
        command.addAll(Instances.demoBackend().command());
        LaunchTemplate template = new LaunchTemplate("demo", 1, command, Map.of(), null, Duration.ofSeconds(10));
        launcher = Instances.launcher(data).quickExitWindow(Duration.ofMinutes(5)).build();

        var launch = launcher.launch(Instances.request(template));
        await().until(() -> recordedPort() > 0);
        int first = recordedPort();
        try (ServerSocket thief = new ServerSocket()) {
            thief.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), first));
            Files.createFile(go);

            Instance instance = launch.get(120, TimeUnit.SECONDS);

            assertThat(instance.portConflicts()).containsExactly(first);
            assertThat(instance.port()).isNotEqualTo(first);
            assertThat(ProcFs.listensOn(List.of(instance.pid()), instance.port())).isTrue();
            assertThat(Files.readString(instance.logFile().orElseThrow()))
                    .contains("cannot listen on 127.0.0.1:" + first)
                    .contains("which is taken: relaunching it on another port");
        }
    }

    @Test
    void anInstanceThatExitsAtOnceWithItsPortFreeIsNotRelaunched() throws Exception {
        launcher = Instances.launcher(data).quickExitWindow(Duration.ofMinutes(5)).build();

        var launch = launcher.launch(Instances.request(Instances.shell("echo broken config; exit 3", Duration.ofSeconds(5))));

        await().until(launch::isDone);
        assertThat(launch).failsWithin(Duration.ZERO).withThrowableThat()
                .withMessageContaining("exited with code 3")
                .withMessageContaining("before listening on port")
                .withMessageContaining("last line: broken config")
                .withMessageNotContaining("taken");
        try (var logs = Files.list(data.resolve("instances"))) {
            Path log = logs.filter(f -> f.toString().endsWith(".log")).findFirst().orElseThrow();
            assertThat(Files.readAllLines(log)).filteredOn(line -> line.startsWith("fulcrum: launching")).hasSize(1);
        }
        assertThat(launcher.instances()).isEmpty();
    }

    private int recordedPort() throws Exception {
        try (var files = Files.list(data.resolve("instances"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                return new ObjectMapper().readTree(file.toFile()).get("port").asInt();
            }
        }
        return -1;
    }
}
