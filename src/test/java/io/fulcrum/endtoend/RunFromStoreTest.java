package io.fulcrum.endtoend;

import static io.fulcrum.testing.TestConfigs.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.proxy.ListenerRouting;
import io.fulcrum.testing.RawHttp;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fulcrum run} over the file store: the config file is applied whenever its content changes, an
 * invalid edit is rejected and the running state keeps serving, and a restart without {@code --config}
 * serves the last stored revision.
 */
class RunFromStoreTest {
    @TempDir
    Path dir;

    @Test
    void fileEditsApplyWithoutASignalAndARestartWithoutTheFileServesTheStoredState() throws Exception {
        RawHttp.noDelayBackends();
        int port = RunningFulcrum.freePort();
        Path data = dir.resolve("data");
        try (TestBackend a = new TestBackend("a"); TestBackend b = new TestBackend("b")) {
            Path file = dir.resolve("fulcrum.yaml");
            Files.writeString(file, web(port).checksOff().targets(a.address()).yaml());
            try (FulcrumProcess run = FulcrumProcess.start(dir, "run", "--config", file.toString(),
                    "--data-dir", data.toString(), "--debug-revision-header")) {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                    assertThat(run.isAlive()).as(run.output()).isTrue();
                    RawHttp.Response response = RawHttp.get(port, "/");
                    assertThat(response.body()).isEqualTo("a");
                    assertThat(response.header(ListenerRouting.REVISION_HEADER)).isEqualTo("1");
                });

                Files.writeString(file, web(port).checksOff().targets(b.address()).yaml()); // no signal
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                    RawHttp.Response response = RawHttp.get(port, "/");
                    assertThat(response.body()).as(run.output()).isEqualTo("b");
                    assertThat(response.header(ListenerRouting.REVISION_HEADER)).isEqualTo("2");
                });

                Files.writeString(file, web(70000).checksOff().targets(a.address()).yaml());
                await().atMost(Duration.ofSeconds(30)).until(() -> run.output().contains("rejected"));
                assertThat(run.output()).contains("change of " + file + " rejected, the running config stays")
                        .contains("loadBalancers[0].listeners[0].port: 70000 is not a port 1-65535");
                RawHttp.Response still = RawHttp.get(port, "/");
                assertThat(still.body()).as("the running config keeps serving").isEqualTo("b");
                assertThat(still.header(ListenerRouting.REVISION_HEADER)).isEqualTo("2");

                run.signal("TERM");
                assertThat(run.waitForExit(30)).as(run.output()).isZero();
            }

            try (FulcrumProcess restarted = FulcrumProcess.start(dir, "run", "--data-dir", data.toString(),
                    "--debug-revision-header")) {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                    assertThat(restarted.isAlive()).as(restarted.output()).isTrue();
                    RawHttp.Response response = RawHttp.get(port, "/");
                    assertThat(response.body()).as("the last stored revision, without the file").isEqualTo("b");
                    assertThat(response.header(ListenerRouting.REVISION_HEADER)).isEqualTo("2");
                });
                assertThat(restarted.output()).contains("with revision 2 (the stored state");
                restarted.signal("TERM");
                assertThat(restarted.waitForExit(30)).as(restarted.output()).isZero();
            }
        }
    }
}
