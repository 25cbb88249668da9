package io.fulcrum.proxy;

import static io.fulcrum.proxy.StreamingWire.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fulcrum.proxy.StreamingWire.Head;
import io.fulcrum.proxy.StreamingWire.Response;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestConfigs;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1 GiB through Fulcrum each way, with a heap and direct-memory budget far below that, against a slow
 * reader on the far side: the transfer can only complete intact, without the process running out of
 * memory, if back-pressure holds end to end. Fulcrum runs in its own JVM ({@code fulcrum run} with
 * {@code -Xmx128m -XX:MaxDirectMemorySize=64m}, one event loop); the target and the client are here.
 */
@Tag("large")
class LargeTransferTest {
    private static final long GIB = 1024L * 1024 * 1024;
    /** The slow side consumes this much, then pauses: at most ~64 MB/s, far below what loopback delivers. */
    private static final int SLOW_STEP = 64 * 1024;
    private static final long SLOW_PAUSE_NANOS = 1_000_000;

    @TempDir
    static Path dir;

    private static SlowBackend backend;
    private static Process fulcrum;
    private static Path stdout;
    private static Path stderr;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        backend = new SlowBackend();
        port = RunningFulcrum.freePort();
        Path config = dir.resolve("fulcrum.yaml");
        Files.writeString(config, TestConfigs.web(port).targets(backend.address()).yaml());
        stdout = dir.resolve("fulcrum.out");
        stderr = dir.resolve("fulcrum.err");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        fulcrum = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Xmx128m", "-XX:MaxDirectMemorySize=64m",
                "io.fulcrum.cli.Main", "run", "--config", config.toString(), "--event-loops", "1",
                "--data-dir", dir.resolve("data").toString(), "--admin-address", "127.0.0.1:0")
                .directory(dir.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        // ready when a request goes through
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            assertThat(fulcrum.isAlive()).as("Fulcrum exited early: %s", output()).isTrue();
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write(ascii("GET /ping HTTP/1.1\r\nHost: test\r\n\r\n"));
                return StreamingWire.readResponse(new BufferedInputStream(socket.getInputStream()), false).status() == 200;
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (fulcrum != null) {
            fulcrum.destroy();
            if (!fulcrum.waitFor(20, TimeUnit.SECONDS)) {
                fulcrum.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (backend != null) {
            backend.close();
        }
    }

    @AfterEach
    void fulcrumSurvived() throws IOException {
        String output = output();
        assertThat(fulcrum.isAlive()).as("Fulcrum died: %s", output).isTrue();
        assertThat(output).doesNotContain("OutOfMemoryError", "OutOfDirectMemoryError", "LEAK:");
    }

    private static String output() throws IOException {
        return Files.readString(stdout, StandardCharsets.ISO_8859_1) + Files.readString(stderr, StandardCharsets.ISO_8859_1);
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(60_000);
        return socket;
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void oneGibUploadToASlowTargetArrivesIntact() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(ascii("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: " + GIB + "\r\n\r\n"));
            CRC32 sent = new CRC32();
            byte[] buffer = new byte[256 * 1024];
            for (long position = 0; position < GIB; position += buffer.length) {
                int n = (int) Math.min(buffer.length, GIB - position);
                StreamingWire.fill(buffer, n, position);
                sent.update(buffer, 0, n);
                out.write(buffer, 0, n); // blocks while Fulcrum holds back: the target reads slowly
            }
            out.flush();
            Response response = StreamingWire.readResponse(new BufferedInputStream(socket.getInputStream()), false);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo(GIB + " " + sent.getValue());
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void oneGibDownloadToASlowClientArrivesIntact() throws Exception {
        try (Socket socket = connect()) {
            InputStream in = new BufferedInputStream(socket.getInputStream(), SLOW_STEP);
            socket.getOutputStream().write(ascii("GET /download HTTP/1.1\r\nHost: test\r\n\r\n"));
            Head head = StreamingWire.readHead(in);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo(Long.toString(GIB));

            CRC32 received = new CRC32();
            long[] sincePause = {0};
            long length = StreamingWire.readBody(in, head, false, (bytes, offset, n) -> {
                received.update(bytes, offset, n);
                sincePause[0] += n;
                if (sincePause[0] >= SLOW_STEP) { // the client is the slow side here
                    sincePause[0] = 0;
                    LockSupport.parkNanos(SLOW_PAUSE_NANOS);
                }
            });

            assertThat(length).isEqualTo(GIB);
            assertThat(received.getValue()).isEqualTo(StreamingWire.patternCrc(GIB));
        }
    }

    /**
     * The target, on a JDK HttpServer: /upload reads its body slowly and answers "length crc32";
     * /download sends 1 GiB of pattern bytes as fast as it may;
     * anything else answers "ok".
     */
    static final class SlowBackend implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService executor = Executors.newCachedThreadPool();

        SlowBackend() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
            server.setExecutor(executor);
            server.createContext("/", this::handle);
            server.start();
        }

        String address() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                switch (exchange.getRequestURI().getPath()) {
                    case "/upload" -> upload(exchange);
                    case "/download" -> download(exchange);
                    default -> answer(exchange, "ok");
                }
            }
        }

        private static void upload(HttpExchange exchange) throws IOException {
            CRC32 crc = new CRC32();
            long length = 0;
            long sincePause = 0;
            byte[] buffer = new byte[SLOW_STEP];
            try (InputStream in = exchange.getRequestBody()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    crc.update(buffer, 0, n);
                    length += n;
                    sincePause += n;
                    if (sincePause >= SLOW_STEP) {
                        sincePause = 0;
                        LockSupport.parkNanos(SLOW_PAUSE_NANOS);
                    }
                }
            }
            answer(exchange, length + " " + crc.getValue());
        }

        private static void download(HttpExchange exchange) throws IOException {
            exchange.sendResponseHeaders(200, GIB);
            byte[] buffer = new byte[256 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                for (long position = 0; position < GIB; position += buffer.length) {
                    int n = (int) Math.min(buffer.length, GIB - position);
                    StreamingWire.fill(buffer, n, position);
                    out.write(buffer, 0, n);
                }
            }
        }

        private static void answer(HttpExchange exchange, String text) throws IOException {
            byte[] body = text.getBytes(StandardCharsets.ISO_8859_1);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
