package io.fulcrum.scaling.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.model.LaunchTemplate;
import io.fulcrum.scaling.LaunchException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What cannot be launched is refused before anything starts, with a message naming the field. */
class LaunchFailureTest extends LauncherTestBase {
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
