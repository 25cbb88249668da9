package io.fulcrum.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.config.ConfigLoader;
import io.fulcrum.proxy.Transport;
import io.fulcrum.server.FulcrumServer;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.tls.ServerTls;
import io.fulcrum.tls.TestCertificates;
import io.fulcrum.tls.Tools;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS listeners (NLB's) against real clients: openssl s_client and the JDK's SSLSocket, to TCP echo targets. */
class TlsListenerTest {
    @TempDir
    static Path dir;
    static EchoBackend echo;
    static EchoBackend proxied;
    static EchoBackend replyAfterEof;
    static RunningFulcrum fulcrum;
    static TestCertificates.Written defaultCertificate;
    static TestCertificates.Written wildcard;
    static int port;
    static int tls13Port;
    static int proxyPort;
    static int halfClosePort;

    @BeforeAll
    static void start() throws Exception {
        echo = new EchoBackend();
        proxied = new EchoBackend(EchoBackend.Mode.ECHO, true, 0);
        replyAfterEof = new EchoBackend(EchoBackend.Mode.REPLY_AFTER_EOF, false, 0);
        defaultCertificate = TestCertificates.write(dir, "default", "default.test", "127.0.0.1");
        wildcard = TestCertificates.write(dir, "wild", "*.example.test");
        port = RunningFulcrum.freePort();
        tls13Port = RunningFulcrum.freePort();
        proxyPort = RunningFulcrum.freePort();
        halfClosePort = RunningFulcrum.freePort();
        String certificates = "[" + defaultCertificate.yaml() + ", " + wildcard.yaml() + "]";
        fulcrum = RunningFulcrum.start("""
                loadBalancers:
                  - name: nlb
                    listeners:
                      - {protocol: TLS, port: %1$d, bindAddress: 127.0.0.1, certificates: %5$s,
                         defaultActions: [{type: forward, targetGroupName: echo}]}
                      - {protocol: TLS, port: %2$d, bindAddress: 127.0.0.1, certificates: %5$s,
                         sslPolicy: ELBSecurityPolicy-TLS13-1-3-2021-06,
                         defaultActions: [{type: forward, targetGroupName: echo}]}
                      - {protocol: TLS, port: %3$d, bindAddress: 127.0.0.1, certificates: %5$s,
                         defaultActions: [{type: forward, targetGroupName: proxied}]}
                      - {protocol: TLS, port: %4$d, bindAddress: 127.0.0.1, certificates: %5$s,
                         defaultActions: [{type: forward, targetGroupName: after-eof}]}
                targetGroups:
                  - {name: echo, protocol: TCP, targets: ["%6$s"], healthCheck: %9$s}
                  - {name: proxied, protocol: TCP, targets: ["%7$s"], healthCheck: %9$s,
                     attributes: {proxyProtocolV2: true}}
                  - {name: after-eof, protocol: TCP, targets: ["%8$s"], healthCheck: %9$s}
                """.formatted(port, tls13Port, proxyPort, halfClosePort, certificates, echo.address(),
                proxied.address(), replyAfterEof.address(), TcpSetup.CHECKS_OFF));
        fulcrum.awaitAllHealthy("echo");
        fulcrum.awaitAllHealthy("proxied");
        fulcrum.awaitAllHealthy("after-eof");
    }

    @AfterAll
    static void stop() throws Exception {
        fulcrum.close();
        echo.close();
        proxied.close();
        replyAfterEof.close();
    }

    @Test
    void opensslSendsThroughTheTlsListenerAndGetsTheEchoBackDecryptedOnTheWay() throws Exception {
        long readBefore = echo.bytesRead();
        String line = "hello through TLS " + System.nanoTime();
        Process process = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "default.test").redirectErrorStream(true).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                in.transferTo(output);
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        reader.start();
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            // s_client does not print what it sends: the line in its output is the target's echo
            await().atMost(Duration.ofSeconds(15)).until(() -> output.toString(StandardCharsets.US_ASCII)
                    .lines().anyMatch(line::equals));
            stdin.close(); // s_client closes the connection at the end of its input
            assertThat(process.waitFor(15, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroy();
            reader.join(5_000);
        }
        String printed = output.toString(StandardCharsets.US_ASCII);
        assertThat(printed).contains("New, TLSv1.3").contains("subject=CN = default.test");
        assertThat(printed).doesNotContain("ALPN protocol:"); // a TLS listener offers no ALPN
        // the target read the plain bytes, not TLS records
        await().until(() -> echo.bytesRead() - readBefore == line.length() + 1);
    }

    @Test
    void sniChoosesTheCertificateByExactOrWildcardNameAndTheDefaultOtherwise() throws Exception {
        assertThat(Tools.subject(Tools.sClient(port, "-servername", "a.example.test")))
                .isEqualTo("subject=CN = *.example.test");
        assertThat(Tools.subject(Tools.sClient(port, "-servername", "default.test")))
                .isEqualTo("subject=CN = default.test");
        assertThat(Tools.subject(Tools.sClient(port, "-noservername"))).isEqualTo("subject=CN = default.test");
    }

    @Test
    void aTls13OnlyPolicyRefusesATls12ClientWithAnAlertAndNoTargetConnection() throws Exception {
        ServerTls tls = fulcrum.server().tcpListeners().serverTls().get("127.0.0.1:" + tls13Port);
        long failuresBefore = tls.handshakeFailures();
        int acceptedBefore = echo.accepted();

        Tools.Run run = Tools.sClient(tls13Port, "-tls1_2");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("alert protocol version");
        await().atMost(Duration.ofSeconds(5)).until(() -> tls.handshakeFailures() == failuresBefore + 1);
        assertThat(echo.accepted()).as("the target is connected only after a handshake").isEqualTo(acceptedBefore);
        assertThat(Tools.sClient(tls13Port, "-tls1_3").output()).contains("New, TLSv1.3");
    }

    @Test
    void theProxyProtocolHeaderCarriesTheTlsClientsAddress() throws Exception {
        try (SSLSocket client = connect(proxyPort)) {
            byte[] hello = "after the header".getBytes(StandardCharsets.US_ASCII);
            client.getOutputStream().write(hello);
            client.getOutputStream().flush();
            assertThat(client.getInputStream().readNBytes(hello.length)).isEqualTo(hello);
            assertThat(proxied.headerErrors()).isEmpty();
            EchoBackend.ProxyHeader header = proxied.headers().get(proxied.headers().size() - 1);
            assertThat(header.source()).isEqualTo("127.0.0.1");
            assertThat(header.sourcePort()).isEqualTo(client.getLocalPort());
            assertThat(header.destinationPort()).isEqualTo(proxyPort);
        }
    }

    @Test
    void aClientsCloseNotifyEndsItsTlsSessionBothWaysAfterTheBytesBeforeItReachedTheTarget() throws Exception {
        // the OpenSSL engine answers a close_notify with its own: no TLS half-close, unlike a TCP listener
        long readBefore = replyAfterEof.bytesRead();
        try (SSLSocket client = connect(halfClosePort)) {
            byte[] request = "SELECT 1;".getBytes(StandardCharsets.US_ASCII);
            client.getOutputStream().write(request);
            client.getOutputStream().flush();
            client.shutdownOutput(); // close_notify, then FIN

            assertThat(client.getInputStream().read()).isEqualTo(-1);
            await().until(() -> replyAfterEof.bytesRead() - readBefore == request.length);
        }
        await().until(() -> replyAfterEof.openConnections() == 0);
    }

    @Test
    void aRenewedCertificateIsServedToNewConnections() throws Exception {
        TestCertificates.Written first = TestCertificates.write(dir, "renewed", "renewed.test");
        int renewPort = RunningFulcrum.freePort();
        try (FulcrumServer server = new FulcrumServer(Transport.best(), 1, new byte[32], Clock.systemUTC())) {
            server.certificatePollInterval(Duration.ofMillis(100));
            server.apply(ConfigLoader.parse("""
                    loadBalancers:
                      - name: nlb
                        listeners:
                          - {protocol: TLS, port: %d, bindAddress: 127.0.0.1, certificates: [%s],
                             defaultActions: [{type: forward, targetGroupName: echo}]}
                    targetGroups:
                      - {name: echo, protocol: TCP, targets: ["%s"], healthCheck: %s}
                    """.formatted(renewPort, first.yaml(), echo.address(), TcpSetup.CHECKS_OFF)));
            try (SSLSocket open = connect(renewPort)) {
                assertThat(serial(open)).isEqualTo(first.x509().getSerialNumber());
                TestCertificates.Written renewed = TestCertificates.write(dir, "renewed", "renewed.test");
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    try (SSLSocket fresh = connect(renewPort)) {
                        return serial(fresh).equals(renewed.x509().getSerialNumber());
                    }
                });
                // the connection opened before still relays
                open.getOutputStream().write('x');
                open.getOutputStream().flush();
                assertThat(open.getInputStream().read()).isEqualTo('x');
            }
            // a re-apply of the same config keeps the loaded TLS (no file is read again)
            ServerTls before = server.tcpListeners().serverTls().values().iterator().next();
            server.apply(server.config());
            assertThat(server.tcpListeners().serverTls().values().iterator().next()).isSameAs(before);
        }
    }

    private static SSLSocket connect(int listenerPort) throws Exception {
        SSLSocket socket = (SSLSocket) TestCertificates.trustingEverything().getSocketFactory()
                .createSocket("127.0.0.1", listenerPort);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    private static BigInteger serial(SSLSocket socket) throws Exception {
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
}
