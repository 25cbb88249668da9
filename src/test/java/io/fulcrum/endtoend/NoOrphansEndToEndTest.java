package io.fulcrum.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.testing.RunningFulcrum;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C of {@code fulcrum run} with an auto scaling group: the instances run in sessions of their own
 * (so a terminal's SIGINT reaches Fulcrum only); Fulcrum drains them (a request in flight finishes),
 * stops each with SIGTERM within its grace period, exits 0 and leaves no process behind.
 */
class NoOrphansEndToEndTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void sigintDrainsAndStopsEveryInstanceAndLeavesNoProcess() throws Exception {
        int port = RunningFulcrum.freePort();
        Path config = dir.resolve("fulcrum.yaml");
        Files.writeString(config, DemoGroupConfig.yaml(port, "60s"));
        Path data = dir.resolve("data");
        FulcrumProcess run = FulcrumProcess.start(dir, "run", "--config", config.toString(), "--data-dir", data.toString());
        try {
            AdminApi api = AdminApi.connect(run, data, Duration.ofSeconds(60));
            Set<String> ids = AdoptionEndToEndTest.awaitInService(api, run);
            Map<String, Long> pids = InstanceProcesses.recorded(data);
            assertThat(pids.keySet()).isEqualTo(ids);
            long fulcrumSession = InstanceProcesses.session(run.pid());
            for (Map.Entry<String, Long> instance : pids.entrySet()) {
                assertThat(InstanceProcesses.session(instance.getValue()))
                        .as("the session of %s: not Fulcrum's, so a Ctrl-C in its terminal does not reach it",
                                instance.getKey()).isNotEqualTo(fulcrumSession);
            }

            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?delay=2000"))
                            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(activeRequests(api)).as("requests in flight at the targets").isEqualTo(1));

            run.signal("INT");
            assertThat(run.waitForExit(90)).as(run.output()).isZero();
            HttpResponse<String> response = inFlight.get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as("the request in flight at Ctrl-C").isEqualTo(200);
            assertThat(response.body()).matches("Hello from (" + String.join("|", ids) + ") in zone-[ab]\\n");
            String output = run.output();
            assertThat(output).contains("Stopping auto scaling groups");
            for (String id : ids) {
                assertThat(output.lines().filter(line -> line.contains(id + " (pid ") && line.contains(" terminated: ")))
                        .as("how %s ended", id).singleElement().asString().contains("reason=TERMINATED");
                assertThat(output).contains("instance " + id + " is Terminated");
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> pids.forEach((id, pid) ->
                    assertThat(InstanceProcesses.running(pid) && InstanceProcesses.isInstance(pid, id))
                            .as("instance %s (pid %d) after Fulcrum's exit", id, pid).isFalse()));
            assertThat(InstanceProcesses.recorded(data)).as("instance records after the stop").isEmpty();
        } finally {
            run.close();
            InstanceProcesses.killLeftovers(data);
        }
    }

    /** The sum of fulcrum_target_active_request_count over every target, from /metrics. */
    private static double activeRequests(AdminApi api) throws Exception {
        HttpResponse<String> metrics = api.get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        return metrics.body().lines().filter(line -> line.startsWith("fulcrum_target_active_request_count{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
