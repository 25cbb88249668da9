package io.fulcrum.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.testing.RunningFulcrum;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Bytes go both ways through a TCP listener, with back-pressure on a large transfer and half-close. */
class TcpEchoTest {
    @Test
    void bytesGoBothWaysAndTheListenerCountsThem() throws Exception {
        try (EchoBackend backend = new EchoBackend()) {
            int port = RunningFulcrum.freePort();
            try (RunningFulcrum fulcrum = RunningFulcrum.start(TcpSetup.listener(port).targets(backend.address()).yaml());
                 Socket client = new Socket("127.0.0.1", port)) {
                client.setSoTimeout(10_000);
                byte[] hello = "hello, target\n".getBytes(StandardCharsets.US_ASCII);
                client.getOutputStream().write(hello);
                assertThat(client.getInputStream().readNBytes(hello.length)).isEqualTo(hello);
                client.getOutputStream().write("again".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(client.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("again");
                client.close();

                TcpCounters counters = fulcrum.server().tcpListeners().counters();
                await().until(() -> counters.active() == 0);
                assertThat(counters.accepted()).isEqualTo(1);
                assertThat(counters.bytesToTargets()).isEqualTo(hello.length + 5);
                assertThat(counters.bytesToClients()).isEqualTo(hello.length + 5);
                await().until(() -> backend.openConnections() == 0); // the target's side is closed too
            }
        }
    }

    @Test
    void theClientsFinReachesTheTargetAndTheAnswerAfterItStillComesBack() throws Exception {
        // the backend answers only after the client's FIN: without half-close the answer would be lost
        try (EchoBackend backend = new EchoBackend(EchoBackend.Mode.REPLY_AFTER_EOF, false, 0)) {
            int port = RunningFulcrum.freePort();
            try (RunningFulcrum ignored = RunningFulcrum.start(TcpSetup.listener(port).targets(backend.address()).yaml());
                 Socket client = new Socket("127.0.0.1", port)) {
                client.setSoTimeout(10_000);
                byte[] request = "SELECT 1;".getBytes(StandardCharsets.US_ASCII);
                client.getOutputStream().write(request);
                client.shutdownOutput();

                assertThat(client.getInputStream().readAllBytes()).isEqualTo(request); // then EOF: the target's FIN
                await().until(() -> backend.openConnections() == 0);
            }
        }
    }

    @Test
    void aClientThatDoesNotReadStopsTheFlowAndEverythingArrivesOnceItReads() throws Exception {
        long total = 128L * 1024 * 1024; // far beyond what the sockets' buffers on the way can hold
        try (EchoBackend backend = new EchoBackend(EchoBackend.Mode.ECHO, false, 64 * 1024)) {
            int port = RunningFulcrum.freePort();
            try (RunningFulcrum ignored = RunningFulcrum.start(TcpSetup.listener(port).targets(backend.address()).yaml());
                 Socket client = new Socket()) {
                client.setReceiveBufferSize(64 * 1024);
                client.setSendBufferSize(64 * 1024);
                client.connect(new InetSocketAddress("127.0.0.1", port));
                client.setSoTimeout(60_000);
                AtomicLong written = new AtomicLong();
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(client, total, written));

                long stalledAt = awaitStall(written);
                assertThat(writer).as("the writer is held back by back-pressure").isNotDone();
                assertThat(stalledAt).isLessThan(total);

                InputStream in = client.getInputStream();
                byte[] buffer = new byte[64 * 1024];
                long read = 0;
                while (read < total) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, total - read));
                    assertThat(n).as("bytes before EOF").isPositive();
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] != pattern(read + i)) {
                            throw new AssertionError("byte " + (read + i) + " differs");
                        }
                    }
                    read += n;
                }
                writer.get();
                assertThat(read).isEqualTo(total);
                assertThat(backend.bytesRead()).isEqualTo(total);
            }
        }
    }

    /** Waits until {@code written} has not moved for 1 s (sampled every 100 ms) and returns its value. */
    private static long awaitStall(AtomicLong written) {
        long[] last = {-1};
        int[] still = {0};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            long now = written.get();
            still[0] = now == last[0] ? still[0] + 1 : 0;
            last[0] = now;
            return still[0] >= 10;
        });
        return last[0];
    }

    private static void write(Socket socket, long total, AtomicLong written) {
        try {
            OutputStream out = socket.getOutputStream();
            byte[] chunk = new byte[16 * 1024];
            long sent = 0;
            while (sent < total) {
                int n = (int) Math.min(chunk.length, total - sent);
                for (int i = 0; i < n; i++) {
                    chunk[i] = pattern(sent + i);
                }
                out.write(chunk, 0, n);
                sent += n;
                written.set(sent);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A byte sequence that does not repeat with any power-of-two period, so a lost or doubled chunk shows. */
    private static byte pattern(long index) {
        return (byte) (index % 251);
    }
}
