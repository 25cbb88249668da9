package io.fulcrum.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.tls.LoadedCertificate;
import io.fulcrum.tls.TestCertificates;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * HTTP2 and GRPC target groups with protocol HTTPS: TLS to the targets with h2 chosen by ALPN, through an
 * HTTPS listener that the JDK HttpClient speaks h2 to; gRPC health checks over TLS; a target that does
 * not choose h2, and an untrusted one with verification on, answer 502.
 */
class Http2TlsTargetTest {
    @TempDir
    Path dir;
    Http2Backend h2;
    Http2Backend http11Only;
    RunningFulcrum fulcrum;
    HttpClient client;
    int port;

    @BeforeEach
    void start() throws Exception {
        h2 = new Http2Backend("tls-h2", serverTls("h2", ApplicationProtocolNames.HTTP_2));
        http11Only = new Http2Backend("tls-h1", serverTls("h1", ApplicationProtocolNames.HTTP_1_1));
        TestCertificates.Written listener = TestCertificates.write(dir, "listener", "lb.test", "127.0.0.1");
        port = RunningFulcrum.freePort();
        String checksOff = "{enabled: false, interval: 300s}";
        fulcrum = RunningFulcrum.start("""
                loadBalancers:
                  - name: lb
                    listeners:
                      - protocol: HTTPS
                        port: %d
                        bindAddress: 127.0.0.1
                        certificates: [%s]
                        rules:
                          - {priority: 1, conditions: [{field: path-pattern, values: ["/h1/*"]}],
                             actions: [{type: forward, targetGroupName: h1-only}]}
                          - {priority: 2, conditions: [{field: path-pattern, values: ["/strict/*"]}],
                             actions: [{type: forward, targetGroupName: strict}]}
                        defaultActions: [{type: forward, targetGroupName: grpc}]
                targetGroups:
                  - name: grpc
                    protocol: HTTPS
                    protocolVersion: GRPC
                    targets: ["%s"]
                    healthCheck: {protocol: HTTPS, interval: 200ms, timeout: 150ms, healthyThreshold: 2,
                                  unhealthyThreshold: 2}
                  - {name: h1-only, protocol: HTTPS, protocolVersion: HTTP2, targets: ["%s"], healthCheck: %s}
                  - {name: strict, protocol: HTTPS, protocolVersion: HTTP2, targets: ["%s"], healthCheck: %s,
                     attributes: {verifyTargetCertificate: true}}
                """.formatted(port, listener.yaml(), h2.address(), http11Only.address(), checksOff, h2.address(),
                checksOff));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(TestCertificates.trusting(listener.x509())).build();
    }

    /** A JDK TLS server context with a fresh self-signed certificate, choosing {@code protocol} by ALPN. */
    private SslContext serverTls(String name, String protocol) throws Exception {
        TestCertificates.Written certificate = TestCertificates.write(dir, name, name + ".test");
        return SslContextBuilder.forServer(LoadedCertificate.load(certificate.files(), Clock.systemUTC()).key(),
                        certificate.x509())
                .sslProvider(SslProvider.JDK)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocol))
                .build();
    }

    @AfterEach
    void stop() {
        fulcrum.close();
        h2.close();
        http11Only.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void grpcChecksOverTlsMakeTheTargetHealthyAndH2ClientsReachItOverTlsWithH2() throws Exception {
        // the gRPC health check (ALB's path, grpc-status 12) over TLS with h2 chosen by ALPN
        fulcrum.awaitAllHealthy("grpc");
        int requestsBefore = h2.requests.size();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = get("/pkg.Service/Call" + i);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("tls-h2 /pkg.Service/Call" + i + " 0");
            assertThat(response.headers().firstValue("x-backend-id")).hasValue("tls-h2");
        }
        List<io.netty.handler.codec.http2.Http2Headers> seen = List.copyOf(h2.requests)
                .subList(requestsBefore, h2.requests.size());
        assertThat(seen).filteredOn(h -> h.path().toString().startsWith("/pkg.Service/")).hasSize(5)
                .allSatisfy(h -> assertThat(Http2Backend.text(h.get("x-forwarded-proto"))).isEqualTo("https"));
    }

    @Test
    void aTargetThatDoesNotChooseH2ByAlpnAnswers502AndIsReportedAsSuch() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(Http2Targets.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            assertThat(get("/h1/x").statusCode()).isEqualTo(502);
        } finally {
            logger.detachAppender(log);
        }
        assertThat(http11Only.requests).isEmpty();
        synchronized (log.list) {
            assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).contains("Target "
                    + http11Only.address() + " did not choose HTTP/2 by ALPN (chose: none; expected: h2, as an HTTP2"
                    + " or GRPC target group with protocol HTTPS needs)");
        }
    }

    @Test
    void withVerificationOnAnUntrustedTargetAnswers502() throws Exception {
        int requestsBefore = h2.requests.size();
        assertThat(get("/strict/x").statusCode()).isEqualTo(502);
        assertThat(h2.requests.stream().filter(h -> h.path().toString().startsWith("/strict/"))).isEmpty();
        assertThat(h2.requests.size()).isGreaterThanOrEqualTo(requestsBefore); // only health checks, if any
    }
}
