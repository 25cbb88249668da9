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
import io.fulcrum.tls.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS requests (HTTP/1.1 and HTTP/2) through a real proxy: their log lines carry the TLS the client negotiated. */
class AccessLogTlsTest {
    /** curl -v's line naming the negotiated protocol and cipher (OpenSSL's names, as AWS writes them). */
    private static final Pattern CURL_TLS = Pattern.compile("SSL connection using (TLSv1\\.[23]) / (\\S+)");

    @TempDir
    Path dir;

    @Test
    void httpsAndH2RequestsAreLoggedWithTheirCipherProtocolSniAndType() throws Exception {
        Path log = dir.resolve("shop-access.log");
        TestCertificates.Written certificate = TestCertificates.write(dir, "shop", "shop.test");
        int port = RunningFulcrum.freePort();
        Tools.Run http11;
        Tools.Run h2;
        try (TestBackend backend = new TestBackend("a"); FulcrumMetrics metrics = new FulcrumMetrics(false)) {
            FulcrumServer server = new FulcrumServer(Transport.best(), 1, new byte[32], Clock.systemUTC(), metrics);
            try {
                server.apply(ConfigLoader.parse("""
                        loadBalancers:
                          - name: shop
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
                String resolve = "shop.test:" + port + ":127.0.0.1";
                http11 = Tools.run("curl", "-sSk", "-v", "--http1.1", "--tlsv1.2", "--tls-max", "1.2",
                        "--resolve", resolve, "https://shop.test:" + port + "/one");
                assertThat(http11.exitCode()).as(http11.output()).isZero();
                h2 = Tools.run("curl", "-sSk", "-v", "--http2", "--tlsv1.3", "--resolve", resolve,
                        "https://shop.test:" + port + "/two");
                assertThat(h2.exitCode()).as(h2.output()).isZero();
                assertThat(h2.output()).contains("ALPN: server accepted h2");
                await().atMost(Duration.ofSeconds(10)).until(() -> metrics.scrape()
                        .contains("fulcrum_access_log_written_lines_total{load_balancer=\"shop\"} 2.0"));
            } finally {
                server.stop(Duration.ZERO); // closes (and flushes) the log
            }
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(2);

        List<String> one = AccessLogLines.fields(lines.get(0));
        assertThat(one).hasSize(AccessLogFormat.FIELDS.length);
        Matcher negotiated = negotiated(http11);
        assertThat(one.get(0)).as(lines.toString()).isEqualTo("https");
        assertThat(one.get(12)).isEqualTo("GET https://shop.test:" + port + "/one HTTP/1.1");
        assertThat(one.get(14)).isEqualTo(negotiated.group(2)).startsWith("ECDHE-ECDSA-"); // an EC certificate
        assertThat(one.get(15)).isEqualTo("TLSv1.2").isEqualTo(negotiated.group(1));
        assertThat(one.get(18)).isEqualTo("shop.test"); // domain_name: the SNI name

        List<String> two = AccessLogLines.fields(lines.get(1));
        negotiated = negotiated(h2);
        assertThat(two.get(0)).isEqualTo("h2");
        assertThat(two.get(12)).isEqualTo("GET https://shop.test:" + port + "/two HTTP/2.0");
        assertThat(two.get(14)).isEqualTo(negotiated.group(2)).startsWith("TLS_");
        assertThat(two.get(15)).isEqualTo("TLSv1.3").isEqualTo(negotiated.group(1));
        assertThat(two.get(18)).isEqualTo("shop.test");
    }

    private static Matcher negotiated(Tools.Run curl) {
        Matcher matcher = CURL_TLS.matcher(curl.output());
        assertThat(matcher.find()).as(curl.output()).isTrue();
        return matcher;
    }
}
