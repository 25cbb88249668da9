package io.fulcrum.endtoend;

import static io.fulcrum.testing.TestConfigs.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fulcrum.testing.RawHttp;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code fulcrum} command in its own JVM: validate, run, SIGHUP reloads, SIGTERM stops. */
class CommandLineTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void validateListsEveryProblemWithItsPathAndExits2() throws Exception {
        // range and reference problems, all in one run
        Path ranges = write("ranges.yaml", """
                loadBalancers:
                  - name: lb
                    listeners:
                      - port: 70000
                        defaultActions: [{type: forward, targetGroupName: missing}]
                targetGroups:
                  - name: web
                    targets: ["127.0.0.1:9001"]
                    healthCheck: {healthyThreshold: 11}
                """);
        try (FulcrumProcess validate = FulcrumProcess.start(dir, "validate", "--config", ranges.toString())) {
            assertThat(validate.waitForExit(60)).isEqualTo(2);
            assertThat(validate.output())
                    .contains("loadBalancers[0].listeners[0].port: 70000 is not a port 1-65535")
                    .contains("loadBalancers[0].listeners[0].defaultActions[0].forwardConfig.targetGroups[0].targetGroupName: \"missing\" is not a target group")
                    .contains("targetGroups[0].healthCheck.healthyThreshold: 11");
        }
        // shape problems: unknown keys with a did-you-mean, all in one run
        Path keys = write("keys.yaml", """
                loadBalancers:
                  - name: lb
                    listners: []
                targetGroups:
                  - name: web
                    targets: ["127.0.0.1:9001"]
                    healthChek: {path: /}
                """);
        try (FulcrumProcess validate = FulcrumProcess.start(dir, "validate", "--config", keys.toString())) {
            assertThat(validate.waitForExit(60)).isEqualTo(2);
            assertThat(validate.output())
                    .contains("loadBalancers[0].listners: unknown key (did you mean 'listeners'?)")
                    .contains("targetGroups[0].healthChek: unknown key (did you mean 'healthCheck'?)");
        }
    }

    @Test
    void runWithAnInvalidFileExits2BeforeOpeningAnything() throws Exception {
        int port = RunningFulcrum.freePort();
        Path file = write("bad.yaml", web(port).targets("127.0.0.1:9").yaml().replace("healthCheck:", "healthChek:"));
        Path state = dir.resolve("state");
        try (FulcrumProcess run = FulcrumProcess.start(dir, "run", "--config", file.toString(),
                "--data-dir", state.toString())) {
            assertThat(run.waitForExit(60)).isEqualTo(2);
            assertThat(run.output()).contains("targetGroups[0].healthChek: unknown key (did you mean 'healthCheck'?)")
                    .doesNotContain("Listening on");
            assertThat(state).as("nothing was created").doesNotExist();
        }
    }

    @Test
    void runOnAPortInUsePrintsOneLineAndExitsNonZero() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Path file = write("busy.yaml", web(port).targets("127.0.0.1:9").yaml());
            try (FulcrumProcess run = FulcrumProcess.start(dir, "run", "--config", file.toString(),
                    "--data-dir", dir.resolve("state").toString())) {
                assertThat(run.waitForExit(60)).isNotZero();
                String expected = "cannot listen on 127.0.0.1:" + port + ": address already in use";
                assertThat(run.lines()).filteredOn(line -> line.contains(expected)).hasSize(1);
                assertThat(run.output()).doesNotContain("Exception").doesNotContain("\tat ");
            }
        }
    }

    @Test
    void sighupReloadsAValidFileRejectsAnInvalidOneAndSigtermStopsCleanly() throws Exception {
        RawHttp.noDelayBackends();
        int port = RunningFulcrum.freePort();
        try (TestBackend backend = new TestBackend("a")) {
            Path file = write("fulcrum.yaml", web(port).targets(backend.address()).yaml());
            try (FulcrumProcess run = FulcrumProcess.start(dir, "run", "--config", file.toString(),
                    "--data-dir", dir.resolve("state").toString())) {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                    assertThat(run.isAlive()).as(run.output()).isTrue();
                    assertThat(RawHttp.get(port, "/hup").body()).isEqualTo("a");
                });

                Files.writeString(file, web(port).targets(backend.address()).rules("""
                        - priority: 1
                          conditions: [{field: path-pattern, values: ["/hup"]}]
                          actions:
                            - type: fixed-response
                              fixedResponseConfig: {statusCode: 200, contentType: text/plain, messageBody: reloaded}
                        """).yaml());
                run.signal("HUP");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(RawHttp.get(port, "/hup").body()).as(run.output()).isEqualTo("reloaded"));
                assertThat(RawHttp.get(port, "/other").body()).isEqualTo("a");

                Files.writeString(file, web(70000).targets(backend.address()).yaml());
                run.signal("HUP");
                await().atMost(Duration.ofSeconds(30)).until(() -> run.output().contains("rejected"));
                assertThat(run.output()).contains("70000 is not a port 1-65535");
                assertThat(RawHttp.get(port, "/hup").body()).as("the old config still serves").isEqualTo("reloaded");

                run.signal("TERM");
                assertThat(run.waitForExit(30)).as(run.output()).isZero();
                assertThat(run.output()).contains("Stopped");
                assertThatThrownBy(() -> RawHttp.get(port, "/")).isInstanceOf(ConnectException.class);
            }
        }
    }
}
