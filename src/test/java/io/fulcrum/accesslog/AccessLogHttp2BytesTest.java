package io.fulcrum.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.config.ConfigLoader;
import io.fulcrum.metrics.FulcrumMetrics;
import io.fulcrum.proxy.Transport;
import io.fulcrum.server.FulcrumServer;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import io.fulcrum.tls.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An HTTP/2 request's log line counts its bytes: DATA payloads plus header list sizes, each way. */
class AccessLogHttp2BytesTest {
    @TempDir
    Path dir;

    @Test
    void anH2StreamLogsItsBodyAndHeaderBytesEachWay() throws Exception {
        Path log = dir.resolve("h2-access.log");
        TestCertificates.Written certificate = TestCertificates.write(dir, "lb", "lb.test", "127.0.0.1");
        int port = RunningFulcrum.freePort();
        String id = "b".repeat(3000); // the backend answers its id, and sends it as X-Backend-Id too
        byte[] upload = new byte[10_000];
        try (TestBackend backend = new TestBackend(id); FulcrumMetrics metrics = new FulcrumMetrics(false)) {
            FulcrumServer server = new FulcrumServer(Transport.best(), 1, new byte[32], Clock.systemUTC(), metrics);
            try {
                server.apply(ConfigLoader.parse("""
                        loadBalancers:
                          - name: lb
                            attributes:
                              accessLog: {enabled: true, path: "%s", maxFileSize: 10MiB, maxFiles: 3}
                            listeners:
                              - {protocol: HTTPS, port: %d, bindAddress: 127.0.0.1, certificates: [%s],
                                 defaultActions: [{type: forward, targetGroupName: web}]}
                        targetGroups:
                          - {name: web, targets: ["%s"], healthCheck: {enabled: false, interval: 300s}}
                        """.formatted(log, port, certificate.yaml(), backend.address())));
                await().atMost(Duration.ofSeconds(10)).until(() -> server.targetGroup("web").routable().size() == 1
                        && !server.targetGroup("web").failingOpen());
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                        .sslContext(TestCertificates.trusting(certificate.x509())).build();
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                                URI.create("https://127.0.0.1:" + port + "/upload"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(response.body()).isEqualTo(id);
                await().atMost(Duration.ofSeconds(10)).until(() -> metrics.scrape()
                        .contains("fulcrum_access_log_written_lines_total{load_balancer=\"lb\"} 1.0"));
            } finally {
                server.stop(Duration.ZERO);
            }
        }
        List<String> fields = AccessLogLines.fields(Files.readAllLines(log).get(0));
        assertThat(fields.get(0)).isEqualTo("h2");
        long received = Long.parseLong(fields.get(10));
        long sent = Long.parseLong(fields.get(11));
        // the upload, plus the request's header list (pseudo-headers and the client's few: 4 × 32 at least)
        assertThat(received).isBetween(upload.length + 4 * 32L, upload.length + 2_000L);
        // the body and the X-Backend-Id header of the same length, plus :status and a few other fields
        assertThat(sent).isBetween(2L * id.length() + 3 * 32L, 2L * id.length() + 1_000L);
    }
}
