package io.fulcrum.scaling.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.model.LaunchTemplate;
import io.fulcrum.scaling.Instance;
import io.fulcrum.scaling.InstanceIds;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A launched demo backend gets a port from the range, listens there, logs to its file and runs in its own session. */
class LocalLaunchTest extends LauncherTestBase {
    @Test
    void demoBackendListensOnItsAllocatedPort() throws Exception {
        launcher.close();
        // a window longer than any JVM start: launch() can only have completed because it listens
        launcher = Instances.launcher(data).quickExitWindow(Duration.ofMinutes(5)).build();
        Instance instance = launcher.launch(Instances.request(Instances.demoBackend())).get();

        assertThat(InstanceIds.isValid(instance.id())).isTrue();
        assertThat(instance.port()).isBetween(LocalProcessLauncher.DEFAULT_FIRST_PORT, LocalProcessLauncher.DEFAULT_LAST_PORT);
        assertThat(instance.group()).isEqualTo("web-asg");
        assertThat(instance.zone()).isEqualTo("zone-a");
        assertThat(instance.templateName()).isEqualTo("demo");
        assertThat(instance.templateVersion()).isEqualTo(3);
        assertThat(instance.adopted()).isFalse();
        assertThat(instance.portConflicts()).isEmpty();
        assertThat(instance.isAlive()).isTrue();
        assertThat(launcher.instances()).containsExactly(instance);
        assertThat(launcher.describe(instance.id())).containsSame(instance);
        // launch() completed because it listens: it answers at once, with the id it was given
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("Hello from " + instance.id() + "\n");
        assertThat(Files.exists(data.resolve("instances").resolve(instance.id() + ".json"))).isTrue();
    }

    @Test
    void outputGoesToTheInstanceLogFile() throws Exception {
        // $${GREETING} reaches the shell as ${GREETING}, the variable the template sets
        LaunchTemplate template = new LaunchTemplate("shell", 1, List.of("sh", "-c",
                "echo out; echo err >&2; echo zone=${ZONE} group=${GROUP} id=${INSTANCE_ID} $${GREETING}; exec sleep 60"),
                Map.of("GREETING", "hi-from-${ZONE}"), null, Duration.ofSeconds(5));
        Instance instance = launcher.launch(Instances.request(template)).get();

        Path log = data.resolve("instances").resolve(instance.id() + ".log");
        assertThat(instance.logFile()).contains(log);
        await().untilAsserted(() -> assertThat(Files.readString(log))
                .contains("fulcrum: launching " + instance.id())
                .contains("out\n")
                .contains("err")
                .contains("zone=zone-a group=web-asg id=" + instance.id() + " hi-from-zone-a"));
    }

    @Test
    void eachInstanceLeadsItsOwnSessionAndProcessGroup() throws Exception {
        Instance instance = launcher.launch(Instances.request(Instances.shell("exec sleep 60", Duration.ofSeconds(5)))).get();
        long ourGroup = ProcFs.stat(ProcessHandle.current().pid()).orElseThrow().pgrp();

        // setsid exec'd in place: the pid Fulcrum holds is the instance's, and it leads a new group and session
        await().untilAsserted(() -> {
            ProcFs.Stat stat = ProcFs.stat(instance.pid()).orElseThrow();
            assertThat(stat.pgrp()).isEqualTo(instance.pid()).isNotEqualTo(ourGroup);
            assertThat(stat.session()).isEqualTo(instance.pid());
            assertThat(ProcessHandle.of(instance.pid()).orElseThrow().info().command()).hasValueSatisfying(
                    command -> assertThat(command).endsWith("sleep"));
        });
        assertThat(ProcFs.hasVariable(instance.pid(), "FULCRUM_INSTANCE_ID", instance.id())).isTrue();
    }
}
