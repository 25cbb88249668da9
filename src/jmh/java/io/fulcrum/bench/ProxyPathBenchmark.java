package io.fulcrum.bench;

import io.fulcrum.config.ConfigLoader;
import io.fulcrum.proxy.Transport;
import io.fulcrum.server.FulcrumServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole request path over loopback: one keep-alive GET through Fulcrum to a backend, against the
 * same GET sent straight to the backend. Client and backend are blocking sockets with reused buffers,
 * so with {@code -prof gc} the difference in B/op between {@code proxied} and {@code direct} is what
 * Fulcrum allocates per proxied request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx256m", "-XX:+UseSerialGC"})
public class ProxyPathBenchmark {
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok")
            .getBytes(StandardCharsets.US_ASCII);

    private ServerSocket backend;
    private Thread backendThread;
    private FulcrumServer fulcrum;
    private Socket proxied;
    private Socket direct;
    private final byte[] buffer = new byte[4096];
    private byte[] proxiedRequest;
    private byte[] directRequest;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        backend = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        backendThread = new Thread(this::serveBackend, "bench-backend");
        backendThread.setDaemon(true);
        backendThread.start();
        int proxyPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            proxyPort = probe.getLocalPort();
        }
        String yaml = """
                loadBalancers:
                  - name: bench
                    listeners:
                      - {port: %d, bindAddress: 127.0.0.1, defaultActions: [{type: forward, targetGroupName: b}]}
                targetGroups:
                  - name: b
                    targets: ["127.0.0.1:%d"]
                    healthCheck: {enabled: false}
                """.formatted(proxyPort, backend.getLocalPort());
        fulcrum = new FulcrumServer(Transport.best(), 1, new byte[32], Clock.systemUTC());
        fulcrum.apply(ConfigLoader.parse(yaml));
        proxied = new Socket(InetAddress.getLoopbackAddress(), proxyPort);
        direct = new Socket(InetAddress.getLoopbackAddress(), backend.getLocalPort());
        proxied.setTcpNoDelay(true);
        direct.setTcpNoDelay(true);
        proxiedRequest = ("GET /bench HTTP/1.1\r\nHost: 127.0.0.1:" + proxyPort + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        directRequest = ("GET /bench HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        proxied.close();
        direct.close();
        fulcrum.stop(Duration.ZERO);
        backend.close();
    }

    @Benchmark
    public int proxied() throws IOException {
        return exchange(proxied, proxiedRequest);
    }

    @Benchmark
    public int direct() throws IOException {
        return exchange(direct, directRequest);
    }

    /** Writes a request and reads one response (head, then the 2-byte body). */
    private int exchange(Socket socket, byte[] request) throws IOException {
        socket.getOutputStream().write(request);
        InputStream in = socket.getInputStream();
        int length = 0;
        int headEnd = -1;
        while (headEnd < 0 || length < headEnd + 2) {
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                throw new IOException("closed");
            }
            length += n;
            if (headEnd < 0) {
                headEnd = endOfHead(buffer, length);
            }
        }
        return length;
    }

    private static int endOfHead(byte[] bytes, int length) {
        for (int i = 3; i < length; i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    private void serveBackend() {
        while (!backend.isClosed()) {
            try {
                Socket socket = backend.accept();
                Thread connection = new Thread(() -> serveConnection(socket), "bench-backend-conn");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serveConnection(Socket socket) {
        byte[] in = new byte[8192];
        try (socket) {
            InputStream input = socket.getInputStream();
            OutputStream output = socket.getOutputStream();
            int length = 0;
            while (true) {
                int n = input.read(in, length, in.length - length);
                if (n < 0) {
                    return;
                }
                length += n;
                int end = endOfHead(in, length);
                while (end > 0) { // requests without bodies: answer each complete head
                    output.write(RESPONSE);
                    System.arraycopy(in, end, in, 0, length - end);
                    length -= end;
                    end = endOfHead(in, length);
                }
            }
        } catch (IOException e) {
            // connection closed
        }
    }
}
