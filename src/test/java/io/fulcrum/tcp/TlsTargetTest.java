package io.fulcrum.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.tls.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * TLS target groups (NLB's): TCP and TLS listeners open TLS to real TLS targets (Netty servers with
 * self-signed certificates), verified or not; Proxy Protocol goes before the handshake; half-close holds.
 */
class TlsTargetTest {
    @TempDir
    static Path dir;
    static TlsEchoTarget echo;
    static TlsEchoTarget proxied;
    static TlsEchoTarget replyAfterEnd;
    static TlsEchoTarget strictTarget;
    static RunningFulcrum fulcrum;
    static int tlsPort;
    static int tcpPort;
    static int proxyPort;
    static int halfClosePort;
    static int strictPort;

    @BeforeAll
    static void start() throws Exception {
        echo = new TlsEchoTarget(dir, "echo", false, false);
        proxied = new TlsEchoTarget(dir, "proxied", true, false);
        replyAfterEnd = new TlsEchoTarget(dir, "after-end", false, true);
        strictTarget = new TlsEchoTarget(dir, "strict", false, false);
        TestCertificates.Written listenerCertificate = TestCertificates.write(dir, "listener", "nlb.test");
        tlsPort = RunningFulcrum.freePort();
        tcpPort = RunningFulcrum.freePort();
        proxyPort = RunningFulcrum.freePort();
        halfClosePort = RunningFulcrum.freePort();
        strictPort = RunningFulcrum.freePort();
        fulcrum = RunningFulcrum.start("""
                loadBalancers:
                  - name: nlb
                    listeners:
                      - {protocol: TLS, port: %1$d, bindAddress: 127.0.0.1, certificates: [%6$s],
                         defaultActions: [{type: forward, targetGroupName: echo}]}
                      - {protocol: TCP, port: %2$d, bindAddress: 127.0.0.1,
                         defaultActions: [{type: forward, targetGroupName: echo}]}
                      - {protocol: TLS, port: %3$d, bindAddress: 127.0.0.1, certificates: [%6$s],
                         defaultActions: [{type: forward, targetGroupName: proxied}]}
                      - {protocol: TCP, port: %4$d, bindAddress: 127.0.0.1,
                         defaultActions: [{type: forward, targetGroupName: after-end}]}
                      - {protocol: TCP, port: %5$d, bindAddress: 127.0.0.1,
                         defaultActions: [{type: forward, targetGroupName: strict}]}
                targetGroups:
                  - {name: echo, protocol: TLS, targets: ["%7$s"], healthCheck: %11$s}
                  - {name: proxied, protocol: TLS, targets: ["%8$s"], healthCheck: %11$s,
                     attributes: {proxyProtocolV2: true}}
                  - {name: after-end, protocol: TLS, targets: ["%9$s"], healthCheck: %11$s}
                  - {name: strict, protocol: TLS, targets: ["%10$s"], healthCheck: %11$s,
                     attributes: {verifyTargetCertificate: true}}
                """.formatted(tlsPort, tcpPort, proxyPort, halfClosePort, strictPort, listenerCertificate.yaml(),
                echo.address(), proxied.address(), replyAfterEnd.address(), strictTarget.address(),
                TcpSetup.CHECKS_OFF));
        for (String group : new String[] {"echo", "proxied", "after-end", "strict"}) {
            fulcrum.awaitAllHealthy(group);
        }
    }

    @AfterAll
    static void stop() {
        fulcrum.close();
        echo.close();
        proxied.close();
        replyAfterEnd.close();
        strictTarget.close();
    }

    @Test
    void aTlsListenerRelaysDecryptedBytesOverANewTlsConnectionToTheTarget() throws Exception {
        int handshakesBefore = echo.handshakes();
        long readBefore = echo.bytesRead();
        try (SSLSocket client = tlsClient(tlsPort)) {
            byte[] hello = "re-encrypted toward the target".getBytes(StandardCharsets.US_ASCII);
            client.getOutputStream().write(hello);
            client.getOutputStream().flush();
            assertThat(client.getInputStream().readNBytes(hello.length)).isEqualTo(hello);
            // the target decrypted exactly the client's bytes: it spoke TLS with the balancer
            assertThat(echo.handshakes()).isEqualTo(handshakesBefore + 1);
            assertThat(echo.bytesRead() - readBefore).isEqualTo(hello.length);
        }
    }

    @Test
    void aTcpListenerOriginatesTlsToATlsGroupAndCountsTheBytesBothWays() throws Exception {
        TcpListener listener = fulcrum.server().tcpListeners().listeners().get("127.0.0.1:" + tcpPort);
        long toTargetsBefore = listener.counters().bytesToTargets();
        byte[] large = new byte[512 * 1024]; // more than the water marks: back-pressure on both legs
        new java.util.Random(7).nextBytes(large);
        try (TcpClient client = new TcpClient(tcpPort)) {
            client.roundTrip("plain in, TLS out");
            Thread writer = new Thread(() -> {
                try {
                    client.socket().getOutputStream().write(large);
                } catch (java.io.IOException e) {
                    // the read side fails the test
                }
            });
            writer.start();
            assertThat(client.socket().getInputStream().readNBytes(large.length)).isEqualTo(large);
            writer.join(10_000);
        }
        await().until(() -> listener.counters().bytesToTargets() - toTargetsBefore == 17 + large.length);
    }

    @Test
    void theProxyProtocolHeaderGoesInClearBeforeTheTargetsTlsHandshake() throws Exception {
        try (SSLSocket client = tlsClient(proxyPort)) {
            byte[] hello = "after the header and the handshake".getBytes(StandardCharsets.US_ASCII);
            client.getOutputStream().write(hello);
            client.getOutputStream().flush();
            assertThat(client.getInputStream().readNBytes(hello.length)).isEqualTo(hello);
            EchoBackend.ProxyHeader header = proxied.headers().get(proxied.headers().size() - 1);
            assertThat(header.versionCommand()).isEqualTo(0x21);
            assertThat(header.source()).isEqualTo("127.0.0.1");
            assertThat(header.sourcePort()).isEqualTo(client.getLocalPort());
            assertThat(header.destinationPort()).isEqualTo(proxyPort);
        }
    }

    @Test
    void aClientsFinReachesATlsTargetAsCloseNotifyAndItsLateReplyStillComesBack() throws Exception {
        try (TcpClient client = new TcpClient(halfClosePort)) {
            byte[] request = "SELECT 1;".getBytes(StandardCharsets.US_ASCII);
            client.socket().getOutputStream().write(request);
            client.socket().shutdownOutput(); // FIN: the target answers only after it saw the end

            assertThat(client.socket().getInputStream().readNBytes(request.length)).isEqualTo(request);
            assertThat(client.socket().getInputStream().read()).isEqualTo(-1);
        }
        await().until(() -> replyAfterEnd.openConnections() == 0);
    }

    @Test
    void withVerificationOnAnUntrustedTargetCertificateFailsTheConnectionCountedAndLogged() throws Exception {
        TcpListener listener = fulcrum.server().tcpListeners().listeners().get("127.0.0.1:" + strictPort);
        long failuresBefore = listener.counters().targetTlsFailures();
        int handshakesBefore = strictTarget.handshakes();
        Logger connections = (Logger) LoggerFactory.getLogger("io.fulcrum.tcp.connections");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        connections.addAppender(log);
        try (TcpClient client = new TcpClient(strictPort)) {
            client.socket().getOutputStream().write("never relayed".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.awaitClosed()).isTrue();
            await().until(() -> listener.counters().targetTlsFailures() == failuresBefore + 1);
            assertThat(strictTarget.handshakes()).isEqualTo(handshakesBefore);
            assertThat(strictTarget.bytesRead()).isZero();
            await().until(() -> messages(log).stream().anyMatch(line -> line.contains("(target group strict)")
                    && line.contains("TLS handshake with target " + strictTarget.address() + " failed")));
        } finally {
            connections.detachAppender(log);
        }
        // the same target, unverified, is fine (the echo group's target has a certificate made the same way)
        try (TcpClient client = new TcpClient(tcpPort)) {
            client.roundTrip("unverified is fine");
        }
    }

    private static java.util.List<String> messages(ListAppender<ILoggingEvent> log) {
        synchronized (log.list) {
            return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    private static SSLSocket tlsClient(int port) throws Exception {
        SSLSocket socket = (SSLSocket) TestCertificates.trustingEverything().getSocketFactory()
                .createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }
}
