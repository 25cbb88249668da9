package io.fulcrum.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A client of the admin API of one {@link FulcrumProcess}, found from its output and its data directory. */
final class AdminApi {
    private static final Pattern URL = Pattern.compile("Admin API on (http://127\\.0\\.0\\.1:\\d+)");
    private static final Pattern ETAG = Pattern.compile("\"?(\\d+)\"?");
    static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final String token;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private AdminApi(String url, String token) {
        this.url = url;
        this.token = token;
    }

    /** Waits until {@code run} prints its admin URL and answers /readyz with 200; fails at once when it exits. */
    static AdminApi connect(FulcrumProcess run, Path dataDir, Duration timeout) throws IOException {
        await().atMost(timeout).untilAsserted(() -> {
            assertThat(run.isAlive()).as("fulcrum exited; output:\n%s", run.output()).isTrue();
            assertThat(URL.matcher(run.output()).find()).as("the admin URL in the output").isTrue();
        });
        Matcher matcher = URL.matcher(run.output());
        assertThat(matcher.find()).isTrue();
        AdminApi api = new AdminApi(matcher.group(1), Files.readString(dataDir.resolve("admin.token")).strip());
        await().atMost(timeout).ignoreExceptions().untilAsserted(() -> {
            assertThat(run.isAlive()).as("fulcrum exited; output:\n%s", run.output()).isTrue();
            assertThat(api.send(HttpRequest.newBuilder(URI.create(api.url + "/readyz"))).statusCode())
                    .as("/readyz").isEqualTo(200);
        });
        return api;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** GET that must answer 200; its body as a JSON tree. */
    JsonNode json(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The revision an answer names in its ETag. */
    static long revision(HttpResponse<?> response) {
        String etag = response.headers().firstValue("ETag")
                .orElseThrow(() -> new AssertionError("no ETag in the answer " + response));
        Matcher matcher = ETAG.matcher(etag);
        if (!matcher.matches()) {
            throw new AssertionError("ETag: " + etag + " (expected: a quoted revision number)");
        }
        return Long.parseLong(matcher.group(1));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
