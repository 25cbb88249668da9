package io.fulcrum.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fulcrum.testing.RunningFulcrum;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code fulcrum run} with an auto scaling group of demo backends is killed with {@code kill -9}: its
 * instances keep running (each in its own session), and the next {@code fulcrum run} on the same data
 * directory adopts them instead of launching new ones; they serve through the listener again, and a
 * SIGTERM then stops them all and leaves no process behind.
 */
class AdoptionEndToEndTest {
    private static final String INSTANCES = "/v1/auto-scaling-groups/" + DemoGroupConfig.GROUP + "/instances";
    private static final String ACTIVITIES = "/v1/auto-scaling-groups/" + DemoGroupConfig.GROUP + "/activities";

    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void aRestartAfterKillMinus9AdoptsTheRunningInstancesAndAStopLeavesNoProcess() throws Exception {
        int port = RunningFulcrum.freePort();
        Path config = dir.resolve("fulcrum.yaml");
        Files.writeString(config, DemoGroupConfig.yaml(port));
        Path data = dir.resolve("data");
        FulcrumProcess run = null;
        try {
            run = FulcrumProcess.start(dir, "run", "--config", config.toString(), "--data-dir", data.toString());
            AdminApi api = AdminApi.connect(run, data, Duration.ofSeconds(60));
            Set<String> ids = awaitInService(api, run);
            Map<String, Long> pids = InstanceProcesses.recorded(data);
            assertThat(pids.keySet()).as("the recorded instances").isEqualTo(ids);
            pids.forEach((id, pid) -> assertThat(InstanceProcesses.isInstance(pid, id))
                    .as("pid %d carries the marker of %s", pid, id).isTrue());
            assertServedBy(port, ids);

            run.signal("KILL");
            assertThat(run.waitForExit(30)).as("killed by SIGKILL").isEqualTo(128 + 9);
            pids.forEach((id, pid) -> assertThat(InstanceProcesses.running(pid))
                    .as("instance %s (pid %d) outlives the killed Fulcrum", id, pid).isTrue());

            run = FulcrumProcess.start(dir, "run", "--config", config.toString(), "--data-dir", data.toString());
            api = AdminApi.connect(run, data, Duration.ofSeconds(60));
            assertThat(awaitInService(api, run)).as("the same instances, adopted").isEqualTo(ids);
            for (String id : ids) {
                assertThat(run.output()).contains("adopted instance " + id);
            }
            assertThat(InstanceProcesses.recorded(data)).as("the same processes, no new one").isEqualTo(pids);
            List<String> launches = new ArrayList<>();
            for (JsonNode activity : api.json(ACTIVITIES).path("activities")) {
                if (activity.path("description").asText().startsWith("Launching")) {
                    launches.add(activity.toString());
                }
            }
            assertThat(launches).as("launch activities after the restart").isEmpty();
            assertThat(run.output()).doesNotContain("launched instance");
            assertServedBy(port, ids);

            run.signal("TERM");
            assertThat(run.waitForExit(90)).as(run.output()).isZero();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> pids.forEach((id, pid) ->
                    assertThat(InstanceProcesses.running(pid) && InstanceProcesses.isInstance(pid, id))
                            .as("instance %s (pid %d) after Fulcrum's exit", id, pid).isFalse()));
            assertThat(InstanceProcesses.recorded(data)).as("instance records after the stop").isEmpty();
        } finally {
            if (run != null) {
                run.close();
            }
            InstanceProcesses.killLeftovers(data);
        }
    }

    /** Waits until the group has 2 instances, both InService and Healthy; their ids. */
    static Set<String> awaitInService(AdminApi api, FulcrumProcess run) {
        Set<String> ids = new TreeSet<>();
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
            assertThat(run.isAlive()).as("fulcrum exited; output:\n%s", run.output()).isTrue();
            JsonNode instances = api.json(INSTANCES).path("instances");
            List<String> states = new ArrayList<>();
            instances.forEach(i -> states.add(i.path("lifecycleState").asText() + "/" + i.path("healthStatus").asText()));
            assertThat(states).as(instances.toString()).containsExactly("InService/Healthy", "InService/Healthy");
            ids.clear();
            instances.forEach(i -> ids.add(i.path("instanceId").asText()));
        });
        return ids;
    }

    /** Requests through the listener until both instances have answered. */
    static void assertServedBy(int port, Set<String> ids) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Set<String> seen = new TreeSet<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> response = get(client, port);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            ids.stream().filter(id -> response.body().startsWith("Hello from " + id + " ")).forEach(seen::add);
            assertThat(response.body()).as("answered by one of %s", ids)
                    .matches("Hello from (" + String.join("|", ids) + ") in zone-[ab]\\n");
            assertThat(seen).isEqualTo(ids);
        });
    }

    private static HttpResponse<String> get(HttpClient client, int port) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
