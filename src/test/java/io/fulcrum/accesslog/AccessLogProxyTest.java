package io.fulcrum.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.config.ConfigLoader;
import io.fulcrum.metrics.FulcrumMetrics;
import io.fulcrum.proxy.Transport;
import io.fulcrum.server.FulcrumServer;
import io.fulcrum.testing.RawHttp;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests through a real proxy, then their access log lines parsed back field by field. */
class AccessLogProxyTest {
    private static final String NUMBER = "\\d+\\.\\d{3}";

    @TempDir
    Path dir;

    @Test
    void logsOneLinePerRequestWithAlbsFields() throws Exception {
        Path log = dir.resolve("shop-access.log");
        int port = RunningFulcrum.freePort();
        try (TestBackend backend = new TestBackend("a"); FulcrumMetrics metrics = new FulcrumMetrics(false)) {
            FulcrumServer server = new FulcrumServer(Transport.best(), 1, new byte[32], Clock.systemUTC(), metrics);
            RawHttp.Response ok;
            RawHttp.Response redirect;
            try {
                server.apply(ConfigLoader.parse(config(port, backend.address(), log)));
                await().atMost(Duration.ofSeconds(10)).until(() -> server.targetGroup("web").routable().size() == 1
                        && !server.targetGroup("web").failingOpen());
                ok = RawHttp.request(port, "GET", "/cart?id=1", "shop.test", "User-Agent: ua/1.0");
                assertThat(ok.status()).isEqualTo(200);
                assertThat(RawHttp.request(port, "GET", "/missing", "shop.test").status()).isEqualTo(404);
                assertThat(RawHttp.request(port, "GET", "/empty/x", "shop.test").status()).isEqualTo(503);
                redirect = RawHttp.request(port, "GET", "/old", "shop.test:" + port);
                assertThat(redirect.status()).isEqualTo(301);
                await().atMost(Duration.ofSeconds(10)).until(() -> metrics.scrape()
                        .contains("fulcrum_access_log_written_lines_total{load_balancer=\"shop\"} 4.0"));
                assertThat(metrics.scrape()).contains("fulcrum_access_log_dropped_lines_total{load_balancer=\"shop\"} 0.0");
            } finally {
                server.stop(Duration.ZERO); // closes (and flushes) the log
            }
            List<String> lines = Files.readAllLines(log);
            assertThat(lines).hasSize(4);

            List<String> f = AccessLogLines.fields(lines.get(0));
            assertThat(f).hasSize(AccessLogFormat.FIELDS.length);
            assertThat(f.get(0)).isEqualTo("http");
            assertThat(Instant.parse(f.get(1))).isBefore(Instant.now().plusSeconds(1));
            assertThat(f.get(2)).isEqualTo("shop");
            assertThat(f.get(3)).matches("127\\.0\\.0\\.1:\\d+");
            assertThat(f.get(4)).isEqualTo(backend.address());
            assertThat(f.subList(5, 8)).allMatch(time -> time.matches(NUMBER));
            assertThat(f.subList(8, 10)).containsExactly("200", "200");
            String sent = "GET /cart?id=1 HTTP/1.1\r\nHost: shop.test\r\nUser-Agent: ua/1.0\r\nConnection: close\r\n\r\n";
            assertThat(Long.parseLong(f.get(10))).isEqualTo(sent.getBytes(StandardCharsets.US_ASCII).length);
            assertThat(Long.parseLong(f.get(11))).isGreaterThan(ok.body().length() + 40L);
            assertThat(f.get(12)).isEqualTo("GET http://shop.test:" + port + "/cart?id=1 HTTP/1.1");
            assertThat(f.get(13)).isEqualTo("ua/1.0");
            assertThat(f.subList(14, 16)).containsExactly("-", "-");
            assertThat(f.get(16)).isEqualTo("web");
            assertThat(f.get(17)).isEqualTo(ok.header("x-fulcrum-request-id")).isNotBlank();
            assertThat(f.subList(18, 20)).containsExactly("-", "-");
            assertThat(f.get(20)).isEqualTo("0"); // the default action
            assertThat(Instant.parse(f.get(21))).isBeforeOrEqualTo(Instant.parse(f.get(1)));
            assertThat(f.subList(22, 29)).containsExactly("forward", "-", "-", backend.address(), "200", "-", "-");
            assertThat(f.get(29)).isNotEqualTo("-");

            List<String> fixed = AccessLogLines.fields(lines.get(1));
            assertThat(fixed.get(4)).isEqualTo("-");
            assertThat(fixed.get(5)).matches(NUMBER);
            assertThat(fixed.subList(6, 10)).containsExactly("-1", "-1", "404", "-");
            assertThat(fixed.get(12)).isEqualTo("GET http://shop.test:" + port + "/missing HTTP/1.1");
            assertThat(fixed.get(16)).isEqualTo("-");
            assertThat(fixed.get(20)).isEqualTo("10");
            assertThat(fixed.subList(22, 27)).containsExactly("fixed-response", "-", "-", "-", "-");

            List<String> unavailable = AccessLogLines.fields(lines.get(2));
            assertThat(unavailable.subList(4, 10)).containsExactly("-", "-1", "-1", "-1", "503", "-");
            assertThat(unavailable.get(16)).isEqualTo("empty");
            assertThat(unavailable.get(20)).isEqualTo("20");
            assertThat(unavailable.subList(22, 25)).containsExactly("forward", "-", "NoTargetAvailable");

            List<String> moved = AccessLogLines.fields(lines.get(3));
            assertThat(moved.get(8)).isEqualTo("301");
            assertThat(moved.get(20)).isEqualTo("30");
            assertThat(moved.get(22)).isEqualTo("redirect");
            assertThat(moved.get(23)).isEqualTo(redirect.header("Location")).contains("/new");
            assertThat(moved.get(29)).isNotEqualTo(f.get(29)); // another connection
        }
    }

    @Test
    void isOffByDefault() throws Exception {
        int port = RunningFulcrum.freePort();
        try (TestBackend backend = new TestBackend("a")) {
            String yaml = config(port, backend.address(), dir.resolve("never.log")).replace("enabled: true", "enabled: false");
            try (RunningFulcrum fulcrum = RunningFulcrum.start(yaml)) {
                assertThat(RawHttp.request(fulcrum.port(), "GET", "/missing", "shop.test").status()).isEqualTo(404);
            }
            assertThat(dir.resolve("never.log")).doesNotExist();
        }
    }

    private static String config(int port, String target, Path log) {
        return """
                loadBalancers:
                  - name: shop
                    attributes:
                      accessLog: {enabled: true, path: "%s", maxFileSize: 10MiB, maxFiles: 3}
                    listeners:
                      - port: %d
                        bindAddress: 127.0.0.1
                        rules:
                          - priority: 10
                            conditions: [{field: path-pattern, values: ["/missing"]}]
                            actions: [{type: fixed-response, fixedResponseConfig: {statusCode: 404, messageBody: gone}}]
                          - priority: 20
                            conditions: [{field: path-pattern, values: ["/empty/*"]}]
                            actions: [{type: forward, targetGroupName: empty}]
                          - priority: 30
                            conditions: [{field: path-pattern, values: ["/old"]}]
                            actions: [{type: redirect, redirectConfig: {path: "/new", statusCode: HTTP_301}}]
                        defaultActions: [{type: forward, targetGroupName: web}]
                targetGroups:
                  - name: web
                    targets: ["%s"]
                    healthCheck: {enabled: false, interval: 300s}
                  - name: empty
                    targets: []
                    healthCheck: {enabled: false, interval: 300s}
                """.formatted(log, port, target);
    }
}
