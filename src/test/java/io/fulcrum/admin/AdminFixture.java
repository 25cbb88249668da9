package io.fulcrum.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fulcrum.config.ConfigLoader;
import io.fulcrum.control.ApplyException;
import io.fulcrum.control.ControlPlane;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.proxy.ListenerBindException;
import io.fulcrum.proxy.Transport;
import io.fulcrum.scaling.AutoScaling;
import io.fulcrum.scaling.AutoScalingSettings;
import io.fulcrum.scaling.launcher.Instances;
import io.fulcrum.scaling.launcher.LocalProcessLauncher;
import io.fulcrum.server.FulcrumServer;
import io.fulcrum.server.ServerTargetRegistry;
import io.fulcrum.store.MemoryStore;
import io.fulcrum.store.Store;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;

/**
 * A real Fulcrum in the test's JVM (server, auto scaling with the local launcher, control plane over a
 * memory store) with its admin API on an ephemeral loopback port, and an HTTP client for it.
 */
final class AdminFixture implements AutoCloseable {
    static final String TOKEN = "test-token-abcdefghijklmnop";
    static final AutoScalingSettings SETTINGS = new AutoScalingSettings(Duration.ofMillis(50),
            Duration.ofMillis(200), Duration.ofSeconds(2), 100);
    private static final ObjectMapper JSON = new ObjectMapper();

    final FulcrumServer server;
    final AutoScaling autoScaling;
    final LocalProcessLauncher launcher;
    final ControlPlane controlPlane;
    final AdminServer admin;
    final Path dataDirectory;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** An HTTP answer: status, headers and the body (JSON when it parses). */
    record Response(int status, HttpHeaders headers, String text, JsonNode json) {
        String etag() {
            return headers.firstValue("ETag").orElse(null);
        }

        String code() {
            return json.path("error").path("code").asText();
        }
    }

    private AdminFixture(Path dataDirectory, String yaml, boolean metricsWithoutAuth) throws Exception {
        this.dataDirectory = dataDirectory;
        server = new FulcrumServer(Transport.best(), 2, new byte[32], Clock.systemUTC());
        launcher = Instances.launcher(dataDirectory).build();
        autoScaling = new AutoScaling(launcher, new ServerTargetRegistry(server), Clock.systemUTC(), new Random(3),
                SETTINGS);
        controlPlane = new ControlPlane(new MemoryStore(Clock.systemUTC(), 20), (next, revision) -> {
            try {
                server.apply(next);
            } catch (ListenerBindException e) {
                throw new ApplyException(e.getMessage(), e);
            }
            autoScaling.apply(next);
        });
        admin = AdminServer.builder().controlPlane(controlPlane).server(server).autoScaling(autoScaling)
                .token(AdminToken.of(TOKEN)).metrics(() -> "fulcrum_test_metric 1\n")
                .metricsWithoutAuth(metricsWithoutAuth)
                .address(new InetSocketAddress("127.0.0.1", 0)).start();
        FulcrumConfig initial = ConfigLoader.parse(yaml);
        controlPlane.update(Store.ANY_REVISION, "test start", current -> initial);
        admin.markReady();
    }

    static AdminFixture start(Path dataDirectory, String yaml) throws Exception {
        return new AdminFixture(dataDirectory, yaml, false);
    }

    static AdminFixture start(Path dataDirectory, String yaml, boolean metricsWithoutAuth) throws Exception {
        return new AdminFixture(dataDirectory, yaml, metricsWithoutAuth);
    }

    Response get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    Response post(String path, String body) throws IOException, InterruptedException {
        return send("POST", path, body);
    }

    Response put(String path, String body) throws IOException, InterruptedException {
        return send("PUT", path, body);
    }

    Response delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null);
    }

    Response send(String method, String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(admin.url() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return exchange(request.build());
    }

    Response exchange(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = response.body().isEmpty() ? null : JSON.readTree(response.body());
        } catch (IOException notJson) {
            // text bodies (/metrics, /openapi.yaml)
        }
        return new Response(response.statusCode(), response.headers(), response.body(), json);
    }

    long revision() {
        return controlPlane.current().revision();
    }

    /** The config's tree of the current state, as GET /v1/state shows it. */
    static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    @Override
    public void close() throws Exception {
        admin.close();
        autoScaling.close();
        server.stop(Duration.ZERO);
        launcher.close();
        Instances.killAll(dataDirectory);
    }
}
