package io.fulcrum.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.config.ConfigLoader;
import io.fulcrum.proxy.Transport;
import io.fulcrum.server.FulcrumServer;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import io.fulcrum.tls.TestCertificates;
import io.fulcrum.tls.Tools;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failed client TLS handshakes per HTTPS and TLS listener, and the TLS listeners' flow counters. */
class TlsMetricsTest {
    private static final String ERRORS = "fulcrum_client_tls_negotiation_error_count_total";
    private static final String TLS13_ONLY = "ELBSecurityPolicy-TLS13-1-3-2021-06";

    @TempDir
    Path dir;
    TestBackend backend;
    FulcrumMetrics metrics;
    FulcrumServer server;
    TestCertificates.Written certificate;
    int httpsPort;
    int tlsPort;
    int httpPort;

    @BeforeEach
    void start() throws Exception {
        backend = new TestBackend("a");
        certificate = TestCertificates.write(dir, "site", "site.test");
        httpsPort = RunningFulcrum.freePort();
        tlsPort = RunningFulcrum.freePort();
        httpPort = RunningFulcrum.freePort();
        metrics = new FulcrumMetrics(false);
        server = new FulcrumServer(Transport.best(), 1, new byte[32], Clock.systemUTC(), metrics);
        server.apply(ConfigLoader.parse(config(certificate, true)));
    }

    @AfterEach
    void stop() {
        server.stop(Duration.ZERO);
        backend.close();
        metrics.close();
    }

    private String config(TestCertificates.Written served, boolean withTlsListener) {
        String tlsListener = """
                      - {protocol: TLS, port: %d, bindAddress: 127.0.0.1, sslPolicy: %s, certificates: [%s],
                         defaultActions: [{type: forward, targetGroupName: raw}]}
                """.formatted(tlsPort, TLS13_ONLY, served.yaml());
        return """
                loadBalancers:
                  - name: shop
                    listeners:
                      - {protocol: HTTPS, port: %d, bindAddress: 127.0.0.1, sslPolicy: %s, certificates: [%s],
                         defaultActions: [{type: forward, targetGroupName: web}]}
                      - {protocol: HTTP, port: %d, bindAddress: 127.0.0.1,
                         defaultActions: [{type: forward, targetGroupName: web}]}
                %s
                targetGroups:
                  - {name: web, targets: ["%s"], healthCheck: {enabled: false, interval: 300s}}
                  - {name: raw, protocol: TCP, targets: ["%s"], healthCheck: {enabled: false, interval: 300s}}
                """.formatted(httpsPort, TLS13_ONLY, served.yaml(), httpPort, withTlsListener ? tlsListener : "",
                backend.address(), backend.address());
    }

    private double errors(int port) {
        return new Scrape(metrics.scrape()).value(ERRORS, "listener", "127.0.0.1:" + port);
    }

    @Test
    void aRefusedHandshakeCountsOnItsOwnListenerOnlyAndThePlainHttpListenerHasNoSuchSeries() throws Exception {
        assertThat(errors(httpsPort)).isZero();
        assertThat(errors(tlsPort)).isZero();
        assertThat(errors(httpPort)).isNaN();

        assertThat(Tools.sClient(httpsPort, "-tls1_2").output()).contains("alert protocol version");
        await().atMost(Duration.ofSeconds(5)).until(() -> errors(httpsPort) == 1);
        assertThat(errors(tlsPort)).isZero();

        assertThat(Tools.sClient(tlsPort, "-tls1_2").output()).contains("alert protocol version");
        assertThat(Tools.sClient(tlsPort, "-tls1_2").output()).contains("alert protocol version");
        await().atMost(Duration.ofSeconds(5)).until(() -> errors(tlsPort) == 2);
        assertThat(errors(httpsPort)).isEqualTo(1);
    }

    @Test
    void aTlsListenerCountsItsFlowsAndTheirPlainBytes() throws Exception {
        String listener = "127.0.0.1:" + tlsPort;
        Tools.Run run = Tools.sClient(tlsPort, "-tls1_3"); // handshakes, then closes at the end of its input
        assertThat(run.output()).contains("New, TLSv1.3");
        await().atMost(Duration.ofSeconds(5)).until(() -> new Scrape(metrics.scrape())
                .value("fulcrum_active_flow_count", "listener", listener) == 0);
        Scrape s = new Scrape(metrics.scrape());
        assertThat(s.value("fulcrum_new_flow_count_total", "listener", listener)).isEqualTo(1);
        assertThat(s.value("fulcrum_flow_processed_bytes_total", "listener", listener, "direction", "received"))
                .isZero();
        assertThat(s.value("fulcrum_flow_target_connection_error_count_total", "listener", listener)).isZero();
        assertThat(s.value("fulcrum_flow_target_tls_negotiation_error_count_total", "listener", listener)).isZero();
        assertThat(s.value(ERRORS, "listener", listener)).isZero();
    }

    @Test
    void theCountGoesOnAcrossACertificateChangeAndLeavesWithItsListener() throws Exception {
        Tools.sClient(tlsPort, "-tls1_2");
        Tools.sClient(httpsPort, "-tls1_2");
        await().atMost(Duration.ofSeconds(5)).until(() -> errors(tlsPort) == 1 && errors(httpsPort) == 1);

        TestCertificates.Written other = TestCertificates.write(dir, "other", "other.test");
        server.apply(ConfigLoader.parse(config(other, true))); // new ServerTls objects on both listeners
        assertThat(Tools.subject(Tools.sClient(tlsPort, "-tls1_3"))).isEqualTo("subject=CN = other.test");
        assertThat(errors(tlsPort)).isEqualTo(1);
        assertThat(errors(httpsPort)).isEqualTo(1);
        Tools.sClient(tlsPort, "-tls1_2");
        await().atMost(Duration.ofSeconds(5)).until(() -> errors(tlsPort) == 2);

        server.apply(ConfigLoader.parse(config(other, false)));
        Scrape s = new Scrape(metrics.scrape());
        assertThat(s.count(ERRORS, "listener", "127.0.0.1:" + tlsPort)).isZero();
        assertThat(s.count("fulcrum_new_flow_count_total", "listener", "127.0.0.1:" + tlsPort)).isZero();
        assertThat(s.value(ERRORS, "listener", "127.0.0.1:" + httpsPort)).isEqualTo(1);
    }
}
