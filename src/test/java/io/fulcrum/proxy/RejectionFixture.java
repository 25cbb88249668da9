package io.fulcrum.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.testing.RawHttp;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import io.fulcrum.testing.TestConfigs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Fulcrum forwarding to one recording {@link TestBackend}, shared by a test class, with the checks
 * every rejection test makes: the exact status, a closed connection, the error counter, nothing forwarded,
 * and a valid request on a new connection still forwarded afterwards.
 */
final class RejectionFixture implements AutoCloseable {
    private final TestBackend backend;
    private final RunningFulcrum fulcrum;
    private final AtomicInteger probes = new AtomicInteger();

    private RejectionFixture(TestBackend backend, RunningFulcrum fulcrum) {
        this.backend = backend;
        this.fulcrum = fulcrum;
    }

    /**
     * Starts a backend and a Fulcrum whose listener has the given rules (YAML list items, or empty) and
     * forwards everything else to the backend; {@code extraTargetGroups} are YAML list items, or empty.
     */
    static RejectionFixture start(String rules, String extraTargetGroups) throws Exception {
        TestBackend backend = new TestBackend("web");
        TestConfigs.Web config = TestConfigs.web(RunningFulcrum.freePort()).targets(backend.address())
                .moreTargetGroups(extraTargetGroups);
        if (!rules.isEmpty()) {
            config.rules(rules);
        }
        RunningFulcrum fulcrum;
        try {
            fulcrum = RunningFulcrum.start(config);
        } catch (Exception e) {
            backend.close();
            throw e;
        }
        RejectionFixture fixture = new RejectionFixture(backend, fulcrum);
        fixture.assertForwarded("/warm-up"); // the path is live before any test relies on it
        return fixture;
    }

    static RejectionFixture start() throws Exception {
        return start("", "");
    }

    TestBackend backend() {
        return backend;
    }

    int port() {
        return fulcrum.port();
    }

    ProxyCounters counters() {
        return fulcrum.server().counters();
    }

    /**
     * Sends {@code request} as raw bytes on a new connection and proves: the balancer answers exactly
     * {@code code}'s status with its own error page, closes the connection after it, counts it under
     * {@code code}, and forwards nothing; then a valid request on another connection is forwarded.
     */
    void assertRejected(byte[] request, ErrorCode code) throws Exception {
        long errorsBefore = counters().errors(code);
        int forwardedBefore = backend.requestCount();
        try (RawHttp client = new RawHttp(port())) {
            client.send(request);
            RawHttp.Response response = client.read();
            assertThat(response.status()).as("status answered to %s", printable(request))
                    .isEqualTo(code.status().code());
            assertThat(response.body()).as("the balancer's own error page").startsWith(code.status().code() + " ");
            assertThat(response.header("connection")).as("Connection header of the %d", response.status())
                    .isEqualToIgnoringCase("close");
            assertThat(client.closedByServer()).as("connection closed after the %d", response.status()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .untilAsserted(() -> assertThat(counters().errors(code)).isEqualTo(errorsBefore + 1));
        assertNothingForwardedSince(forwardedBefore);
    }

    void assertRejected(String request, ErrorCode code) throws Exception {
        assertRejected(RawHttp.ascii(request), code);
    }

    /**
     * Sends a valid request on a new connection and checks that it, and only it, reached the backend
     * since {@code forwardedBefore}: whatever was rejected before was not forwarded, and the server is fine.
     */
    void assertNothingForwardedSince(int forwardedBefore) throws Exception {
        String path = "/after-" + probes.incrementAndGet();
        assertForwarded(path);
        List<TestBackend.Received> since = backend.received().subList(forwardedBefore, backend.received().size());
        assertThat(since).extracting(TestBackend.Received::uri).as("requests the backend received").containsExactly(path);
    }

    /** A valid GET on a new connection is answered 200 by the backend. */
    void assertForwarded(String path) throws Exception {
        try (RawHttp client = new RawHttp(port())) {
            client.send("GET " + path + " HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n");
            RawHttp.Response response = client.read();
            assertThat(response.status()).as("status of a valid GET %s", path).isEqualTo(200);
            assertThat(response.header("x-backend-id")).isEqualTo(backend.id());
        }
    }

    /** The request with control characters made visible, for assertion messages. */
    static String printable(byte[] request) {
        StringBuilder out = new StringBuilder();
        int shown = Math.min(request.length, 200);
        for (int i = 0; i < shown; i++) {
            int b = request[i] & 0xff;
            switch (b) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(b < 0x20 || b >= 0x7f ? String.format("\\x%02x", b) : String.valueOf((char) b));
            }
        }
        return request.length > shown ? out + "... (" + request.length + " bytes)" : out.toString();
    }

    @Override
    public void close() {
        fulcrum.close();
        backend.close();
    }
}
