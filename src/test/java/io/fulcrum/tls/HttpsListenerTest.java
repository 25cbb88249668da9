package io.fulcrum.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import io.fulcrum.testing.TestConfigs;
import java.net.URI;
import java.util.List;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS listeners against real clients: the JDK's HttpClient, curl and openssl s_client. */
class HttpsListenerTest {
    @TempDir
    static Path dir;
    static TestBackend backend;
    static RunningFulcrum fulcrum;
    static TestCertificates.Written defaultCertificate;
    static TestCertificates.Written wildcard;
    static int port;
    static int tls13Port;
    static int legacyPort;

    @BeforeAll
    static void start() throws Exception {
        backend = new TestBackend("b1");
        defaultCertificate = TestCertificates.write(dir, "default", "default.test", "127.0.0.1");
        wildcard = TestCertificates.write(dir, "wild", "*.example.test");
        port = RunningFulcrum.freePort();
        tls13Port = RunningFulcrum.freePort();
        legacyPort = RunningFulcrum.freePort();
        String certificates = "[" + defaultCertificate.yaml() + ", " + wildcard.yaml() + "]";
        fulcrum = RunningFulcrum.start("""
                loadBalancers:
                  - name: lb
                    listeners:
                      - protocol: HTTPS
                        port: %d
                        bindAddress: 127.0.0.1
                        certificates: %s
                        defaultActions: [{type: forward, targetGroupName: web}]
                      - protocol: HTTPS
                        port: %d
                        bindAddress: 127.0.0.1
                        sslPolicy: ELBSecurityPolicy-TLS13-1-3-2021-06
                        certificates: %s
                        defaultActions: [{type: forward, targetGroupName: web}]
                      - protocol: HTTPS
                        port: %d
                        bindAddress: 127.0.0.1
                        sslPolicy: ELBSecurityPolicy-2016-08
                        certificates: %s
                        defaultActions: [{type: forward, targetGroupName: web}]
                targetGroups:
                  - name: web
                    targets: ["%s"]
                    healthCheck: %s
                """.formatted(port, certificates, tls13Port, certificates, legacyPort, certificates, backend.address(),
                TestConfigs.CHECKS_OFF));
        fulcrum.awaitAllHealthy("web");
    }

    @AfterAll
    static void stop() {
        fulcrum.close();
        backend.close();
    }

    @Test
    void jdkHttpClientTrustingTheCertificateGetsTheTargetsAnswerWithForwardedProtoHttps() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(TestCertificates.trusting(defaultCertificate.x509()))
                .version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/hello"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("b1");
        TestBackend.Received received = backend.received().get(backend.received().size() - 1);
        assertThat(received.uri()).isEqualTo("/hello");
        assertThat(received.header("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(received.header("X-Forwarded-Port")).isEqualTo(Integer.toString(port));
    }

    @Test
    void jdkHttpClientSpeaksHttp2ByAlpnAndEachStreamIsProxied() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(TestCertificates.trusting(defaultCertificate.x509()))
                .version(HttpClient.Version.HTTP_2).build();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> responses = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            responses.add(client.sendAsync(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/h2/" + i))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (var future : responses) {
            HttpResponse<String> response = future.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("b1");
        }
        TestBackend.Received received = backend.received().stream().filter(r -> r.uri().startsWith("/h2/"))
                .findFirst().orElseThrow();
        assertThat(received.header("X-Forwarded-Proto")).isEqualTo("https");
    }

    @Test
    void curlWithSniNegotiatesHttp2OrHttp11ByAlpn() throws Exception {
        Tools.Run run = Tools.run("curl", "-sSk", "-v", "--resolve", "a.example.test:" + port + ":127.0.0.1",
                "https://a.example.test:" + port + "/");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("ALPN: server accepted h2").contains("subject: CN=*.example.test")
                .endsWith("b1");
        Tools.Run http11 = Tools.run("curl", "-sSk", "-v", "--http1.1", "--resolve",
                "a.example.test:" + port + ":127.0.0.1", "https://a.example.test:" + port + "/");
        assertThat(http11.exitCode()).as(http11.output()).isZero();
        assertThat(http11.output()).contains("ALPN: server accepted http/1.1").endsWith("b1");
    }

    @Test
    void sniChoosesTheCertificateByExactOrWildcardNameAndTheDefaultOtherwise() throws Exception {
        assertThat(Tools.subject(Tools.sClient(port, "-servername", "a.example.test"))).isEqualTo("subject=CN = *.example.test");
        assertThat(Tools.subject(Tools.sClient(port, "-servername", "default.test"))).isEqualTo("subject=CN = default.test");
        assertThat(Tools.subject(Tools.sClient(port, "-servername", "unknown.test"))).isEqualTo("subject=CN = default.test");
        assertThat(Tools.subject(Tools.sClient(port, "-noservername"))).isEqualTo("subject=CN = default.test");
        // a wildcard covers one label only
        assertThat(Tools.subject(Tools.sClient(port, "-servername", "a.b.example.test"))).isEqualTo("subject=CN = default.test");
    }

    @Test
    void theDefaultPolicyNegotiatesTls13AndAcceptsTls12() throws Exception {
        Tools.Run tls13 = Tools.sClient(port, "-servername", "a.example.test");
        // BoringSSL's TLS 1.3 suites are fixed: the policy's three, in the order BoringSSL prefers
        assertThat(tls13.output()).containsPattern("New, TLSv1.3, Cipher is TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)");
        Tools.Run tls12 = Tools.sClient(port, "-tls1_2");
        assertThat(tls12.output()).contains("New, TLSv1.2, Cipher is ECDHE-ECDSA-AES128-GCM-SHA256");
    }

    @Test
    void aSecondConnectionResumesTheSession() throws Exception {
        String sessionFile = dir.resolve("session.pem").toString();
        Tools.Run first = Tools.sClient(port, "-tls1_2", "-sess_out", sessionFile);
        assertThat(first.output()).contains("New, TLSv1.2");
        Tools.Run second = Tools.sClient(port, "-tls1_2", "-sess_in", sessionFile);
        assertThat(second.output()).contains("Reused, TLSv1.2");
    }

    @Test
    void aTls13OnlyPolicyRefusesATls12ClientWithAProtocolVersionAlert() throws Exception {
        ServerTls tls = fulcrum.server().listeners().get("127.0.0.1:" + tls13Port).tls();
        long failuresBefore = tls.handshakeFailures();
        Tools.Run run = Tools.sClient(tls13Port, "-tls1_2");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("alert protocol version");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> tls.handshakeFailures() == failuresBefore + 1);
        assertThat(Tools.sClient(tls13Port, "-tls1_3").output()).contains("New, TLSv1.3");
    }

    @Test
    void theDefaultPolicyRefusesATls11ClientThatIsWillingToSpeakIt() throws Exception {
        Tools.Run run = Tools.sClient(port, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("alert protocol version");
    }

    @Test
    void policy2016AcceptsTls11UnderBoringSsl() throws Exception {
        Tools.Run run = Tools.sClient(legacyPort, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        assertThat(run.output()).contains("Protocol  : TLSv1.1").contains("Cipher    : ECDHE-ECDSA-AES128-SHA");
    }
}
