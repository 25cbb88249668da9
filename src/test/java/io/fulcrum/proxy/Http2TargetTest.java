package io.fulcrum.proxy;

import static io.fulcrum.testing.TestConfigs.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.health.TargetState;
import io.fulcrum.proxy.LiveTarget;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestConfigs;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Target groups with {@code protocolVersion: GRPC | HTTP2}: HTTP/2 to the targets, trailers passed through. */
class Http2TargetTest {
    /** The usual config, its group "web" spoken to in {@code version}, health checks off. */
    private static String h2Group(Http2Backend backend, String version) throws Exception {
        return h2Group(backend, version, TestConfigs.CHECKS_OFF);
    }

    private static String h2Group(Http2Backend backend, String version, String healthCheck) throws Exception {
        String yaml = web(RunningFulcrum.freePort()).healthCheck(healthCheck).targets(backend.address()).yaml();
        return yaml.replace("  - name: web\n", "  - name: web\n    protocolVersion: " + version + "\n");
    }

    @Test
    void grpcStyleStreamsReachAnHttp2TargetWithTheirTrailers() throws Exception {
        try (Http2Backend backend = new Http2Backend("t");
             RunningFulcrum fulcrum = RunningFulcrum.start(h2Group(backend, "GRPC"));
             RawHttp2Client client = new RawHttp2Client(fulcrum.port())) {
            client.settings.get(10, TimeUnit.SECONDS);
            client.run(ctx -> {
                for (int i = 0; i < 50; i++) {
                    Http2Headers headers = RawHttp2Client.get("/pkg.Service/Call" + i).method("POST")
                            .add("content-type", "application/grpc").add("te", "trailers");
                    client.writer().writeHeaders(ctx, 1 + 2 * i, headers, 0, true, ctx.newPromise());
                }
                client.writer().writeHeaders(ctx, 101, RawHttp2Client.get("/trailers-only").method("POST")
                        .add("te", "trailers"), 0, true, ctx.newPromise());
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> client.statuses.size() == 51);
            for (int i = 0; i < 50; i++) {
                int stream = 1 + 2 * i;
                assertThat(client.statuses.get(stream)).isEqualTo("200");
                await().atMost(Duration.ofSeconds(10)).until(() -> client.bodies.containsKey(stream));
                assertThat(client.bodies.get(stream)).isEqualTo("t /pkg.Service/Call" + i + " 0");
                assertThat(client.trailers.get(stream)).isNotNull();
                assertThat(Http2Backend.text(client.trailers.get(stream).get("grpc-status"))).isEqualTo("0");
                assertThat(Http2Backend.text(client.trailers.get(stream).get("x-trailer"))).isEqualTo("done");
            }
            // gRPC's trailers-only answer stays one HEADERS frame that ends the stream
            assertThat(client.endedOnHeaders).contains(101);
            assertThat(Http2Backend.text(client.heads.get(101).get("grpc-status"))).isEqualTo("12");
            assertThat(backend.requests).hasSize(51)
                    .allSatisfy(h -> assertThat(Http2Backend.text(h.get("te"))).isEqualTo("trailers"))
                    .allSatisfy(h -> assertThat(Http2Backend.text(h.get("x-forwarded-for"))).isEqualTo("127.0.0.1"));
            // streams share the target connections: one per event loop at most (the test server has 2)
            assertThat(backend.connections.get()).isBetween(1, 2);
        }
    }

    @Test
    void http1ClientsAreServedFromAnHttp2Target() throws Exception {
        try (Http2Backend backend = new Http2Backend("t");
             RunningFulcrum fulcrum = RunningFulcrum.start(h2Group(backend, "HTTP2"))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://127.0.0.1:" + fulcrum.port();
            HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create(base + "/hello?x=1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo("t /hello?x=1 0");
            assertThat(get.headers().firstValue("x-backend-id")).hasValue("t");
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(base + "/upload"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[300_000])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.body()).isEqualTo("t /upload 300000");
            HttpResponse<String> empty = client.send(HttpRequest.newBuilder(URI.create(base + "/trailers-only")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(empty.statusCode()).isEqualTo(200);
            assertThat(empty.headers().firstValue("grpc-status")).hasValue("12");
            assertThat(empty.body()).isEmpty();
            // the connection to the client stayed open throughout: one HTTP/1 connection served all three
            assertThat(fulcrum.server().listeners().values().iterator().next().openConnections()).isEqualTo(1);
            // HTTP/1 removes te: the target only sees it when the client asked for trailers
            assertThat(backend.requests).allSatisfy(h -> assertThat(h.get("te")).isNull());
        }
    }

    @Test
    void aGrpcGroupIsCheckedWithAGrpcCallAsAlbDoes() throws Exception {
        String fast = "{interval: 200ms, timeout: 150ms, healthyThreshold: 2, unhealthyThreshold: 2}";
        try (Http2Backend backend = new Http2Backend("t");
             RunningFulcrum fulcrum = RunningFulcrum.start(h2Group(backend, "GRPC", fast))) {
            // the default check: ALB's path, healthy on grpc-status 12 (the target speaks gRPC, lacks the method)
            await().atMost(Duration.ofSeconds(10)).until(() -> state(fulcrum) == TargetState.HEALTHY);
            Http2Headers probe = backend.requests.peek();
            assertThat(Http2Backend.text(probe.path())).isEqualTo("/AWS.ALB/healthcheck");
            assertThat(Http2Backend.text(probe.method())).isEqualTo("POST");
            assertThat(Http2Backend.text(probe.get("content-type"))).isEqualTo("application/grpc");
            backend.healthCheckStatus = "14";
            await().atMost(Duration.ofSeconds(10)).until(() -> state(fulcrum) == TargetState.UNHEALTHY);
            assertThat(target(fulcrum).health().status().description()).contains("[14]");
        }
        // a matcher of 0 on a method the target has: the status comes in the trailers, and on the standard
        // health service's path the body is read too; this backend's text is no HealthCheckResponse
        try (Http2Backend backend = new Http2Backend("t");
             RunningFulcrum fulcrum = RunningFulcrum.start(h2Group(backend, "GRPC",
                     "{path: /grpc.health.v1.Health/Check, matcher: '0', interval: 200ms, timeout: 150ms, "
                             + "healthyThreshold: 2, unhealthyThreshold: 2}"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> state(fulcrum) == TargetState.UNHEALTHY);
            assertThat(Http2Backend.text(backend.requests.peek().path())).isEqualTo("/grpc.health.v1.Health/Check");
            assertThat(target(fulcrum).health().status().description()).isEqualTo("Invalid grpc.health.v1 answer");
        }
        // any other path with matcher 0: the status alone decides, the body is not read
        try (Http2Backend backend = new Http2Backend("t");
             RunningFulcrum fulcrum = RunningFulcrum.start(h2Group(backend, "GRPC",
                     "{path: /pkg.Service/Health, matcher: '0', interval: 200ms, timeout: 150ms, "
                             + "healthyThreshold: 2, unhealthyThreshold: 2}"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> state(fulcrum) == TargetState.HEALTHY);
        }
    }

    private static LiveTarget target(RunningFulcrum fulcrum) {
        return fulcrum.server().targetGroup("web").targets().get(0);
    }

    private static TargetState state(RunningFulcrum fulcrum) {
        return target(fulcrum).health().state();
    }
}
