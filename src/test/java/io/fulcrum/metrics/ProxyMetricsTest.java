package io.fulcrum.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.config.ConfigLoader;
import io.fulcrum.proxy.Transport;
import io.fulcrum.server.FulcrumServer;
import io.fulcrum.testing.RawHttp;
import io.fulcrum.testing.TestBackend;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metric values after a known sequence of requests through a real proxy. */
class ProxyMetricsTest {
    private TestBackend backend;
    private FulcrumMetrics metrics;
    private FulcrumServer server;
    private int port;
    @TempDir
    java.nio.file.Path dir;

    @BeforeEach
    void start() throws Exception {
        backend = new TestBackend("a");
        port = io.fulcrum.testing.RunningFulcrum.freePort();
        // an HTTPS and a TLS listener elsewhere, so that their series are exposed (and checked against the docs)
        String certificate = io.fulcrum.tls.TestCertificates.write(dir, "secure", "secure.test").yaml();
        metrics = new FulcrumMetrics(false);
        server = new FulcrumServer(Transport.best(), 2, new byte[32], Clock.systemUTC(), metrics);
        server.apply(ConfigLoader.parse("""
                loadBalancers:
                  - name: shop
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
                  - name: secure
                    listeners:
                      - {protocol: HTTPS, port: %d, bindAddress: 127.0.0.1, certificates: [%s],
                         defaultActions: [{type: forward, targetGroupName: web}]}
                      - {protocol: TLS, port: %d, bindAddress: 127.0.0.1, certificates: [%s],
                         defaultActions: [{type: forward, targetGroupName: raw}]}
                targetGroups:
                  - {name: raw, protocol: TCP, targets: ["%s"], healthCheck: {enabled: false, interval: 300s}}
                  - name: web
                    targets: ["%s"]
                    healthCheck: {enabled: false, interval: 300s}
                  - name: empty
                    targets: []
                    healthCheck: {enabled: false, interval: 300s}
                """.formatted(port, io.fulcrum.testing.RunningFulcrum.freePort(), certificate,
                io.fulcrum.testing.RunningFulcrum.freePort(), certificate, backend.address(), backend.address())));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.targetGroup("web").routable().size() == 1
                && !server.targetGroup("web").failingOpen());
    }

    @AfterEach
    void stop() {
        server.stop(Duration.ZERO);
        backend.close();
        metrics.close();
    }

    @Test
    void countsTargetAndBalancerResponsesApart() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(RawHttp.get(port, "/").status()).isEqualTo(200);
        }
        for (int i = 0; i < 2; i++) {
            assertThat(RawHttp.get(port, "/empty/x").status()).isEqualTo(503);
        }
        assertThat(RawHttp.get(port, "/missing").status()).isEqualTo(404);
        assertThat(RawHttp.get(port, "/old").status()).isEqualTo(301);
        String listener = "127.0.0.1:" + port;
        await().atMost(Duration.ofSeconds(10)).until(() -> new Scrape(metrics.scrape())
                .value("fulcrum_active_connection_count", "listener", listener) == 0);

        Scrape s = new Scrape(metrics.scrape());
        String[] lb = {"load_balancer", "shop", "listener", listener};
        assertThat(s.value("fulcrum_request_count_total", lb)).isEqualTo(9);
        assertThat(s.value("fulcrum_httpcode_target_total", with(lb, "class", "2xx"))).isEqualTo(5);
        assertThat(s.value("fulcrum_httpcode_target_total", with(lb, "class", "5xx"))).isEqualTo(0);
        assertThat(s.value("fulcrum_httpcode_elb_total", with(lb, "class", "5xx"))).isEqualTo(2);
        assertThat(s.value("fulcrum_httpcode_elb_total", with(lb, "class", "4xx"))).isEqualTo(1);
        assertThat(s.value("fulcrum_httpcode_elb_total", with(lb, "class", "3xx"))).isEqualTo(1);
        assertThat(s.value("fulcrum_httpcode_elb_total", with(lb, "class", "2xx"))).isEqualTo(0);
        assertThat(s.value("fulcrum_http_fixed_response_count_total", lb)).isEqualTo(1);
        assertThat(s.value("fulcrum_http_redirect_count_total", lb)).isEqualTo(1);
        assertThat(s.value("fulcrum_new_connection_count_total", lb)).isEqualTo(9);
        assertThat(s.value("fulcrum_processed_bytes_total", with(lb, "direction", "received"))).isGreaterThan(9 * 30);
        assertThat(s.value("fulcrum_processed_bytes_total", with(lb, "direction", "sent"))).isGreaterThan(9 * 30);

        assertThat(s.value("fulcrum_target_group_request_count_total", "target_group", "web")).isEqualTo(5);
        assertThat(s.value("fulcrum_target_group_request_count_total", "target_group", "empty")).isEqualTo(2);
        assertThat(s.value("fulcrum_target_group_httpcode_target_total", "target_group", "web", "class", "2xx"))
                .isEqualTo(5);
        assertThat(s.value("fulcrum_healthy_host_count", "target_group", "web")).isEqualTo(1);
        assertThat(s.value("fulcrum_unhealthy_host_count", "target_group", "web")).isEqualTo(0);
        assertThat(s.value("fulcrum_healthy_host_count", "target_group", "empty")).isEqualTo(0);
        assertThat(s.value("fulcrum_retry_count_total", "target_group", "web")).isEqualTo(0);
        assertThat(s.value("fulcrum_target_response_time_seconds_count", "target_group", "web")).isEqualTo(5);
        assertThat(s.value("fulcrum_target_response_time_seconds_bucket", "target_group", "web", "le", "+Inf"))
                .isEqualTo(5);
        assertThat(s.value("fulcrum_target_response_time_seconds_bucket", "target_group", "web", "le", "60.0"))
                .isEqualTo(5);
        assertThat(s.value("fulcrum_target_response_time_seconds_sum", "target_group", "web")).isGreaterThan(0);
        assertThat(s.value("fulcrum_target_response_time_seconds_count", "target_group", "empty")).isEqualTo(0);

        String[] target = {"target_group", "web", "target", backend.address()};
        assertThat(s.value("fulcrum_target_request_count_total", target)).isEqualTo(5);
        assertThat(s.value("fulcrum_target_httpcode_target_total", with(target, "class", "2xx"))).isEqualTo(5);
        assertThat(s.value("fulcrum_target_healthy", target)).isEqualTo(1);
        assertThat(s.value("fulcrum_target_active_request_count", target)).isEqualTo(0);
        assertThat(backend.requestCount()).isEqualTo(5);
    }

    @Test
    void countsConnectionErrorsAndRetriesOfAGroup() throws Exception {
        int dead = io.fulcrum.testing.RunningFulcrum.freePort();
        server.registerTarget("web", new io.fulcrum.model.Target("127.0.0.1", dead, 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.targetGroup("web").routable().size() == 2);
        for (int i = 0; i < 6; i++) {
            assertThat(RawHttp.get(port, "/").status()).isEqualTo(200); // a refused connect is retried elsewhere
        }
        Scrape s = new Scrape(metrics.scrape());
        double errors = s.value("fulcrum_target_group_connection_error_count_total", "target_group", "web");
        assertThat(errors).isGreaterThan(0);
        assertThat(s.value("fulcrum_retry_count_total", "target_group", "web")).isEqualTo(errors);
        assertThat(s.value("fulcrum_target_connection_error_count_total", "target_group", "web",
                "target", "127.0.0.1:" + dead)).isEqualTo(errors);
        assertThat(s.value("fulcrum_target_group_httpcode_target_total", "target_group", "web", "class", "2xx"))
                .isEqualTo(6);
    }

    @Test
    void everyExposedMetricIsDocumentedAndTheDashboardUsesNoOther() throws Exception {
        RawHttp.get(port, "/");
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("docs/metrics.md"));
        String dashboard = java.nio.file.Files.readString(java.nio.file.Path.of("docs/grafana-dashboard.json"));
        java.util.Set<String> exposed = new java.util.TreeSet<>();
        metrics.scrape().lines().filter(line -> line.startsWith("# TYPE fulcrum_"))
                .forEach(line -> exposed.add(line.split(" ")[2]));
        assertThat(exposed).hasSizeGreaterThan(20);
        for (String name : exposed) {
            assertThat(doc).as("docs/metrics.md lists " + name).contains("`" + name);
        }
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("fulcrum_[a-z_]+").matcher(dashboard);
        java.util.Set<String> fromGroups = java.util.Set.of("fulcrum_asg_", "fulcrum_access_log_");
        while (used.find()) {
            String name = used.group();
            boolean known = exposed.contains(name) || exposed.contains(name.replaceAll("_total$", ""))
                    || exposed.contains(name.replaceAll("_(bucket|count|sum)$", ""))
                    || fromGroups.stream().anyMatch(name::startsWith) && doc.contains("`" + name); // none here
            assertThat(known).as("the dashboard's " + name + " is a metric Fulcrum exposes").isTrue();
        }
    }

    private static String[] with(String[] labels, String name, String value) {
        String[] all = java.util.Arrays.copyOf(labels, labels.length + 2);
        all[labels.length] = name;
        all[labels.length + 1] = value;
        return all;
    }
}
