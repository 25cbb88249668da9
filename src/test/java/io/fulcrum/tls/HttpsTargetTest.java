package io.fulcrum.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fulcrum.health.TargetState;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestConfigs;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS target groups: TLS to the targets (unverified by default, as ALB), HTTPS health checks. */
class HttpsTargetTest {
    @TempDir
    Path dir;
    HttpsServer target;
    ExecutorService executor = Executors.newCachedThreadPool();
    AtomicInteger healthChecks = new AtomicInteger();
    RunningFulcrum fulcrum;
    int port;

    @BeforeEach
    void start() throws Exception {
        TestCertificates.Written certificate = TestCertificates.write(dir, "target", "target.test");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("target", LoadedCertificate.load(certificate.files(), java.time.Clock.systemUTC()).key(),
                new char[0], new Certificate[] {certificate.x509()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        target = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        target.setHttpsConfigurator(new HttpsConfigurator(context));
        target.setExecutor(executor);
        target.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/health")) {
                healthChecks.incrementAndGet();
            }
            byte[] body = "secure".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.start();
        port = RunningFulcrum.freePort();
        String address = "127.0.0.1:" + target.getAddress().getPort();
        fulcrum = RunningFulcrum.start("""
                loadBalancers:
                  - name: lb
                    listeners:
                      - port: %d
                        bindAddress: 127.0.0.1
                        rules:
                          - priority: 1
                            conditions: [{field: path-pattern, values: ["/verified/*"]}]
                            actions: [{type: forward, targetGroupName: strict}]
                        defaultActions: [{type: forward, targetGroupName: secure}]
                targetGroups:
                  - name: secure
                    protocol: HTTPS
                    targets: ["%s"]
                    healthCheck: {protocol: HTTPS, path: /health, interval: 200ms, timeout: 150ms,
                                  healthyThreshold: 2, unhealthyThreshold: 2}
                  - name: strict
                    protocol: HTTPS
                    targets: ["%s"]
                    healthCheck: %s
                    attributes: {verifyTargetCertificate: true}
                """.formatted(port, address, address, TestConfigs.CHECKS_OFF));
    }

    @AfterEach
    void stop() {
        fulcrum.close();
        target.stop(0);
        executor.shutdownNow();
    }

    @Test
    void httpsHealthChecksMakeTheTargetHealthyAndRequestsReachItOverTls() throws Exception {
        fulcrum.awaitAllHealthy("secure");
        assertThat(healthChecks.get()).isGreaterThanOrEqualTo(2);
        assertThat(fulcrum.server().targetGroup("secure").targets().get(0).health().state()).isEqualTo(TargetState.HEALTHY);
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("secure");
    }

    @Test
    void aGroupThatVerifiesRefusesAnUntrustedTargetCertificateWith502() throws Exception {
        fulcrum.awaitAllHealthy("strict");
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/verified/x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(502);
    }
}
