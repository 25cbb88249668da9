package io.fulcrum.scaling.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.model.LaunchTemplate;
import io.fulcrum.scaling.LaunchException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What cannot be launched is refused before anything starts, with a message naming the field. */
class LaunchFailureTest {
    @TempDir
    Path data;
    LocalProcessLauncher launcher;

    @BeforeEach
    void start() {
        launcher = Instances.launcher(data).build();
    }

    @AfterEach
    void stop() throws Exception {
        launcher.close();
        Instances.killAll(data);
    }

    @Test
    void aCommandThatDoesNotExist() {
        var launch = launcher.launch(Instances.request(LaunchTemplate.of("web", List.of("no-such-program-x", "${PORT}"))));

        assertThat(launch).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                .havingRootCause().isInstanceOf(LaunchException.class)
                .withMessage("launchTemplate web.command[0]: no-such-program-x (expected: an executable file on PATH)");
    }

    @Test
    void aWorkingDirectoryThatDoesNotExist() {
        var launch = launcher.launch(Instances.request(new LaunchTemplate("web", 1, List.of("sleep", "1"), Map.of(),
                data.resolve("missing-${ZONE}").toString(), null)));

        assertThat(launch).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                .withMessageContaining("launchTemplate web.workingDirectory: " + data.resolve("missing-zone-a"))
                .withMessageContaining("(expected: an existing directory)");
    }

    @Test
    void anInvalidTemplate() {
        var launch = launcher.launch(Instances.request(LaunchTemplate.of("web", List.of("sleep", "${SECONDS}"))));

        assertThat(launch).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                .withMessageContaining("launchTemplate.command[1]")
                .withMessageContaining("${SECONDS}");
    }

    @Test
    void noFreePortInTheRange() throws Exception {
        try (var held = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            launcher.close();
            launcher = Instances.launcher(data).portRange(held.getLocalPort(), held.getLocalPort()).build();

            var launch = launcher.launch(Instances.request(Instances.shell("exec sleep 60", Duration.ofSeconds(1))));

            assertThat(launch).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                    .withMessageContaining("no free port in the instance port range " + held.getLocalPort());
        }
    }
}
