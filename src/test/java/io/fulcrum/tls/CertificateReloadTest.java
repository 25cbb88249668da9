package io.fulcrum.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.config.ConfigLoader;
import io.fulcrum.proxy.Transport;
import io.fulcrum.server.FulcrumServer;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import io.fulcrum.testing.TestConfigs;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A renewed certificate is served to new connections while open ones stay; a bad renewal never replaces it. */
class CertificateReloadTest {
    @TempDir
    Path dir;
    TestBackend backend;
    FulcrumServer server;
    int port;
    TestCertificates.Written first;

    @BeforeEach
    void start() throws Exception {
        backend = new TestBackend("b1");
        first = TestCertificates.write(dir, "site", "site.test", "127.0.0.1");
        port = RunningFulcrum.freePort();
        server = new FulcrumServer(Transport.best(), 1, new byte[32], Clock.systemUTC());
        server.certificatePollInterval(Duration.ofMillis(100));
        server.apply(ConfigLoader.parse("""
                loadBalancers:
                  - name: lb
                    listeners:
                      - {protocol: HTTPS, port: %d, bindAddress: 127.0.0.1, certificates: [%s],
                         defaultActions: [{type: forward, targetGroupName: web}]}
                targetGroups:
                  - {name: web, targets: ["%s"], healthCheck: %s}
                """.formatted(port, first.yaml(), backend.address(), TestConfigs.CHECKS_OFF)));
    }

    @AfterEach
    void stop() {
        server.close();
        backend.close();
    }

    @Test
    void aRenewedCertificateIsServedToNewConnectionsWhileAnOpenOneKeepsWorking() throws Exception {
        try (SSLSocket open = connect()) {
            assertThat(get(open)).isEqualTo("b1");
            assertThat(serial(open)).isEqualTo(first.x509().getSerialNumber());

            TestCertificates.Written renewed = TestCertificates.write(dir, "site", "site.test", "127.0.0.1");
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (SSLSocket fresh = connect()) {
                    fresh.startHandshake();
                    return serial(fresh).equals(renewed.x509().getSerialNumber());
                }
            });
            // the connection opened before the renewal still serves requests, on its old session
            assertThat(get(open)).isEqualTo("b1");
            assertThat(serial(open)).isEqualTo(first.x509().getSerialNumber());
        }
    }

    @Test
    void anExpiredOrBrokenRenewalIsNotServedAndTheGoodCertificateStays() throws Exception {
        ServerTls tls = server.listeners().values().iterator().next().tls();
        TestCertificates.write(dir, "site", SelfSignedCertificate.KeyType.EC, true,
                Instant.now().minus(Duration.ofDays(10)), Instant.now().minus(Duration.ofDays(1)), "site.test");
        tls.reloadIfChanged(); // false, whether it or the watcher looked first
        assertThat(tls.servedCertificates()).containsExactly(first.x509());
        try (SSLSocket fresh = connect()) {
            assertThat(get(fresh)).isEqualTo("b1");
            assertThat(serial(fresh)).isEqualTo(first.x509().getSerialNumber());
        }
        java.nio.file.Files.writeString(first.key(), "half a key");
        assertThat(tls.reloadIfChanged()).isFalse();
        assertThat(tls.servedCertificates()).containsExactly(first.x509());
    }

    @Test
    void aConfigReloadNamingOtherFilesServesThemAndOneNamingTheSameFilesKeepsTheLoadedCertificates() throws Exception {
        ServerTls before = server.listeners().values().iterator().next().tls();
        server.apply(server.config()); // what a target registration does: nothing is re-read
        assertThat(server.listeners().values().iterator().next().tls()).isSameAs(before);

        TestCertificates.Written other = TestCertificates.write(dir, "other", "other.test", "127.0.0.1");
        server.apply(ConfigLoader.parse("""
                loadBalancers:
                  - name: lb
                    listeners:
                      - {protocol: HTTPS, port: %d, bindAddress: 127.0.0.1, certificates: [%s],
                         sslPolicy: ELBSecurityPolicy-TLS13-1-2-Res-2021-06,
                         defaultActions: [{type: forward, targetGroupName: web}]}
                targetGroups:
                  - {name: web, targets: ["%s"], healthCheck: %s}
                """.formatted(port, other.yaml(), backend.address(), TestConfigs.CHECKS_OFF)));
        try (SSLSocket fresh = connect()) {
            assertThat(get(fresh)).isEqualTo("b1");
            assertThat(serial(fresh)).isEqualTo(other.x509().getSerialNumber());
        }
    }

    private SSLSocket connect() throws Exception {
        SSLSocket socket = (SSLSocket) TestCertificates.trustingEverything().getSocketFactory()
                .createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static BigInteger serial(SSLSocket socket) throws Exception {
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }

    /** One keep-alive GET on the socket; the body of the answer. */
    private static String get(SSLSocket socket) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write("GET / HTTP/1.1\r\nHost: site.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("closed after " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        assertThat(text).startsWith("HTTP/1.1 200");
        int length = text.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                .map(l -> Integer.parseInt(l.substring(l.indexOf(':') + 1).trim())).findFirst().orElseThrow();
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
