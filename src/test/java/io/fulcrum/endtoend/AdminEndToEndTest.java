package io.fulcrum.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestConfigs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fulcrum run} in its own JVM serves the admin API with a generated token, and can run without it. */
class AdminEndToEndTest {
    private static final Pattern URL = Pattern.compile("Admin API on (http://127\\.0\\.0\\.1:\\d+)");

    @TempDir
    Path dir;

    @Test
    void runServesTheAdminApiWithATokenGeneratedIntoTheDataDirectory() throws Exception {
        Path config = dir.resolve("fulcrum.yaml");
        Files.writeString(config, TestConfigs.web(RunningFulcrum.freePort()).yaml());
        Path data = dir.resolve("data");
        try (FulcrumProcess run = FulcrumProcess.start(dir, "run", "--config", config.toString(),
                "--data-dir", data.toString(), "--admin-address", "127.0.0.1:0")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> URL.matcher(run.output()).find());
            Matcher url = URL.matcher(run.output());
            assertThat(url.find()).isTrue();
            Path tokenFile = data.resolve("admin.token");
            assertThat(run.output()).contains("bearer token from file " + tokenFile);
            assertThat(Files.getPosixFilePermissions(tokenFile))
                    .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            String token = Files.readString(tokenFile).strip();

            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create(url.group(1) + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            HttpResponse<String> denied = client.send(HttpRequest.newBuilder(URI.create(url.group(1) + "/v1/state"))
                    .header("Authorization", "Bearer not-the-token-at-all").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(denied.statusCode()).isEqualTo(401);
            HttpResponse<String> state = client.send(HttpRequest.newBuilder(URI.create(url.group(1) + "/v1/state"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(state.statusCode()).isEqualTo(200);
            assertThat(state.body()).contains("\"revision\":1").contains("\"cause\":\"fulcrum run --config ");
            HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(URI.create(url.group(1) + "/metrics"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("fulcrum_").contains("jvm_memory_used_bytes");

            run.signal("TERM");
            assertThat(run.waitForExit(60)).isZero();
            assertThat(run.output()).doesNotContain(token).contains("unauthorized GET /v1/state");
        }
    }

    @Test
    void theAdminApiCanBeTurnedOff() throws Exception {
        Path config = dir.resolve("fulcrum.yaml");
        Files.writeString(config, TestConfigs.web(RunningFulcrum.freePort()).yaml());
        try (FulcrumProcess run = FulcrumProcess.start(dir, "run", "--config", config.toString(),
                "--data-dir", dir.resolve("data").toString(), "--admin-address", "off")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> run.output().contains("Fulcrum started"));
            run.signal("TERM");
            assertThat(run.waitForExit(60)).isZero();
            assertThat(run.output()).doesNotContain("Admin API on");
            assertThat(dir.resolve("data").resolve("admin.token")).doesNotExist();
        }
        try (FulcrumProcess bad = FulcrumProcess.start(dir, "run", "--config", config.toString(),
                "--admin-address", "localhost")) {
            assertThat(bad.waitForExit(60)).isEqualTo(2);
            assertThat(bad.output()).contains("--admin-address: \"localhost\" (expected: an IP address and port");
        }
    }
}
