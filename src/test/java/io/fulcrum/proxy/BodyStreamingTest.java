package io.fulcrum.proxy;

import static io.fulcrum.proxy.StreamingWire.ascii;
import static io.fulcrum.testing.TestConfigs.web;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fulcrum.proxy.StreamingWire.Head;
import io.fulcrum.proxy.StreamingWire.Response;
import io.fulcrum.testing.RunningFulcrum;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP/1.1 streaming through the proxy, on real sockets: request and response bodies of a few MiB in
 * both framings, 100-continue, HTTP/1.0 clients, HEAD and pipelining.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BodyStreamingTest {
    /** A few MiB, and not a multiple of any buffer size. */
    private static final int SIZE = 4 * 1024 * 1024 + 12_345;

    private static StreamingBackend backend;
    private static RunningFulcrum fulcrum;

    @BeforeAll
    static void start() throws Exception {
        backend = new StreamingBackend();
        fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort()).targets(backend.address()));
    }

    @AfterAll
    static void stop() {
        if (fulcrum != null) {
            fulcrum.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", fulcrum.port());
        socket.setSoTimeout(20_000);
        return socket;
    }

    // ---- request bodies -----------------------------------------------------------------------

    @Test
    void contentLengthRequestBodyArrivesIntact() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(ascii("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: " + SIZE + "\r\n\r\n"));
            out.write(StreamingWire.pattern(SIZE));
            out.flush();
            Response response = StreamingWire.readResponse(new BufferedInputStream(socket.getInputStream()), false);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo(SIZE + " " + StreamingWire.patternCrc(SIZE));
            StreamingBackend.Upload seen = backend.lastUpload();
            assertThat(seen.contentLength()).isEqualTo(String.valueOf(SIZE));
            assertThat(seen.transferEncoding()).isNull();
        }
    }

    @Test
    void chunkedRequestBodyArrivesIntact() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(ascii("POST /upload HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"));
            StreamingWire.writeChunked(out, SIZE);
            Response response = StreamingWire.readResponse(new BufferedInputStream(socket.getInputStream()), false);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo(SIZE + " " + StreamingWire.patternCrc(SIZE));
            StreamingBackend.Upload seen = backend.lastUpload();
            assertThat(seen.transferEncoding()).isEqualToIgnoringCase("chunked");
            assertThat(seen.contentLength()).isNull();
        }
    }

    @Test
    void expectContinueIsRelayedBeforeTheBodyIsSent() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            out.write(ascii("POST /upload HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: " + SIZE
                    + "\r\n\r\n"));
            out.flush();
            // no body byte is sent before the interim answer: the target itself must have asked for it
            Head interim = StreamingWire.readHead(in);
            assertThat(interim.status()).isEqualTo(100);
            assertThat(interim.version()).isEqualTo("HTTP/1.1");
            assertThat(StreamingWire.readBody(in, interim, false, (b, o, n) -> { })).isZero();

            out.write(StreamingWire.pattern(SIZE));
            out.flush();
            Response response = StreamingWire.readResponse(in, false);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo(SIZE + " " + StreamingWire.patternCrc(SIZE));
            assertThat(backend.lastUpload().expect()).isEqualToIgnoringCase("100-continue");

            // and the connection carries on
            out.write(ascii("GET /echo?id=after HTTP/1.1\r\nHost: test\r\n\r\n"));
            out.flush();
            assertThat(StreamingWire.readResponse(in, false).text()).isEqualTo("after");
        }
    }

    // ---- response bodies ----------------------------------------------------------------------

    @Test
    void chunkedResponseBodyArrivesIntact() throws Exception {
        try (Socket socket = connect()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            socket.getOutputStream().write(ascii("GET /download?size=" + SIZE + "&mode=chunked HTTP/1.1\r\nHost: test\r\n\r\n"));
            Response response = StreamingWire.readResponse(in, false);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.head().chunked()).isTrue();
            assertThat(response.head().header("content-length")).isNull();
            assertThat(response.body()).hasSize(SIZE);
            assertThat(StreamingWire.crc(response.body())).isEqualTo(StreamingWire.patternCrc(SIZE));
            assertThat(response.head().header("connection")).isNull();
            assertStillUsable(socket, in);
        }
    }

    @Test
    void contentLengthResponseBodyArrivesIntact() throws Exception {
        try (Socket socket = connect()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            socket.getOutputStream().write(ascii("GET /download?size=" + SIZE + "&mode=length HTTP/1.1\r\nHost: test\r\n\r\n"));
            Response response = StreamingWire.readResponse(in, false);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.head().chunked()).isFalse();
            assertThat(response.head().header("content-length")).isEqualTo(String.valueOf(SIZE));
            assertThat(StreamingWire.crc(response.body())).isEqualTo(StreamingWire.patternCrc(SIZE));
            assertStillUsable(socket, in);
        }
    }

    // ---- HTTP/1.0 -----------------------------------------------------------------------------

    @Test
    void http10ClientGetsAChunkedBodyUnchunkedAndDelimitedByClose() throws Exception {
        try (Socket socket = connect()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            socket.getOutputStream().write(ascii("GET /download?size=" + SIZE + "&mode=chunked HTTP/1.0\r\n\r\n"));
            Head head = StreamingWire.readHead(in);

            assertThat(head.version()).isEqualTo("HTTP/1.0");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("transfer-encoding")).isNull();
            assertThat(head.header("content-length")).isNull();
            assertThat(head.header("connection")).isEqualToIgnoringCase("close");
            CRC32 crc = new CRC32();
            long length = StreamingWire.readBody(in, head, false, crc::update); // up to the close
            assertThat(length).isEqualTo(SIZE);
            assertThat(crc.getValue()).isEqualTo(StreamingWire.patternCrc(SIZE));
            assertThat(backend.lastRequestVersion()).isEqualTo("HTTP/1.1");
        }
    }

    @Test
    void http10ClientGetsAContentLengthBodyAndTheConnectionCloses() throws Exception {
        try (Socket socket = connect()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            socket.getOutputStream().write(ascii("GET /download?size=" + SIZE + "&mode=length HTTP/1.0\r\n\r\n"));
            Response response = StreamingWire.readResponse(in, false);

            assertThat(response.head().version()).isEqualTo("HTTP/1.0");
            assertThat(response.head().header("transfer-encoding")).isNull();
            assertThat(response.head().header("content-length")).isEqualTo(String.valueOf(SIZE));
            assertThat(StreamingWire.crc(response.body())).isEqualTo(StreamingWire.patternCrc(SIZE));
            assertThat(in.read()).as("a 1.0 request without keep-alive ends the connection").isEqualTo(-1);
        }
    }

    @Test
    void http10KeepAliveClientKeepsItsConnectionForALengthDelimitedBody() throws Exception {
        try (Socket socket = connect()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write(ascii("GET /download?size=" + SIZE + "&mode=length HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
            Response response = StreamingWire.readResponse(in, false);

            assertThat(response.head().version()).isEqualTo("HTTP/1.0");
            assertThat(response.head().header("connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(StreamingWire.crc(response.body())).isEqualTo(StreamingWire.patternCrc(SIZE));

            out.write(ascii("GET /echo?id=second HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
            Response second = StreamingWire.readResponse(in, false);
            assertThat(second.head().version()).isEqualTo("HTTP/1.0");
            assertThat(second.text()).isEqualTo("second");
        }
    }

    // ---- HEAD ---------------------------------------------------------------------------------

    @Test
    void headGetsHeadersWithoutBodyAndTheConnectionStaysUsable() throws Exception {
        try (Socket socket = connect()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write(ascii("HEAD /download?size=" + SIZE + "&mode=length HTTP/1.1\r\nHost: test\r\n\r\n"));
            Head head = StreamingWire.readHead(in);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo(String.valueOf(SIZE));
            assertThat(backend.lastMethod()).isEqualTo("HEAD");
            // the next bytes on the wire must be the next response: any body byte would break its status line
            assertStillUsable(socket, in);
        }
    }

    @Test
    void headAnsweredWithChunkedHeadersGetsNoChunkFraming() throws Exception {
        try (Socket socket = connect()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write(ascii("HEAD /download?size=" + SIZE + "&mode=chunked HTTP/1.1\r\nHost: test\r\n\r\n"));
            Head head = StreamingWire.readHead(in);
            assertThat(head.status()).isEqualTo(200);
            // Netty's response decoder drops Transfer-Encoding from a HEAD answer (it frames nothing there),
            // so the header may or may not reach the client; what matters is that no framing follows:
            // not even the "0\r\n\r\n" terminator may follow a HEAD answer
            assertThat(head.header("content-length")).isNull();
            assertStillUsable(socket, in);
        }
    }

    // ---- pipelining ---------------------------------------------------------------------------

    @Test
    void pipelinedRequestsAreAnsweredInOrderEvenWhenTheFirstIsSlow() throws Exception {
        try (Socket socket = connect()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            int before = backend.echoes().size();
            socket.getOutputStream().write(ascii(
                    "GET /echo?id=one&sleep=300 HTTP/1.1\r\nHost: test\r\n\r\n"
                    + "POST /echo?id=two HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /echo?id=three HTTP/1.1\r\nHost: test\r\n\r\n"));

            Response one = StreamingWire.readResponse(in, false);
            Response two = StreamingWire.readResponse(in, false);
            Response three = StreamingWire.readResponse(in, false);
            assertThat(List.of(one.text(), two.text(), three.text())).containsExactly("one", "two:hello", "three");
            assertThat(List.of(one.status(), two.status(), three.status())).containsOnly(200);
            assertThat(backend.echoes().subList(before, backend.echoes().size())).containsExactly("one", "two", "three");
            assertStillUsable(socket, in);
        }
    }

    /** A further request on the same connection gets its own complete answer. */
    private static void assertStillUsable(Socket socket, InputStream in) throws IOException {
        socket.getOutputStream().write(ascii("GET /echo?id=next HTTP/1.1\r\nHost: test\r\n\r\n"));
        Response next = StreamingWire.readResponse(in, false);
        assertThat(next.head().statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(next.text()).isEqualTo("next");
    }

    // ---- the backend --------------------------------------------------------------------------

    /**
     * A JDK HttpServer target: /upload answers "length crc32" of the body it read, /download?size=&mode=
     * (chunked|length) sends pattern bytes, /echo?id=&sleep= answers the id (and the body, if any),
     * after an optional pause.
     */
    static final class StreamingBackend implements AutoCloseable {
        record Upload(String contentLength, String transferEncoding, String expect) {
        }

        private final HttpServer server;
        private final ExecutorService executor = Executors.newCachedThreadPool();
        private final List<Upload> uploads = new CopyOnWriteArrayList<>();
        private final List<String> echoes = new CopyOnWriteArrayList<>();
        private volatile String lastMethod;
        private volatile String lastVersion;

        StreamingBackend() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
            server.setExecutor(executor);
            server.createContext("/", this::handle);
            server.start();
        }

        String address() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        Upload lastUpload() {
            return uploads.get(uploads.size() - 1);
        }

        List<String> echoes() {
            return echoes;
        }

        String lastMethod() {
            return lastMethod;
        }

        String lastRequestVersion() {
            return lastVersion;
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
                if (!path.equals("/health")) {
                    lastMethod = exchange.getRequestMethod();
                    lastVersion = exchange.getProtocol();
                }
                switch (path) {
                    case "/upload" -> upload(exchange);
                    case "/download" -> download(exchange, Long.parseLong(query.get("size")),
                            "chunked".equals(query.get("mode")));
                    case "/echo" -> echo(exchange, query);
                    default -> answer(exchange, "ok");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void upload(HttpExchange exchange) throws IOException {
            CRC32 crc = new CRC32();
            long length = 0;
            byte[] buffer = new byte[32 * 1024];
            try (InputStream in = exchange.getRequestBody()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    crc.update(buffer, 0, n);
                    length += n;
                }
            }
            var headers = exchange.getRequestHeaders();
            uploads.add(new Upload(headers.getFirst("Content-Length"), headers.getFirst("Transfer-Encoding"),
                    headers.getFirst("Expect")));
            answer(exchange, length + " " + crc.getValue());
        }

        private static void download(HttpExchange exchange, long size, boolean chunked) throws IOException {
            if (exchange.getRequestMethod().equals("HEAD")) {
                // the JDK server sends no body for HEAD; the framing headers are set by hand
                if (chunked) {
                    exchange.getResponseHeaders().set("Transfer-Encoding", "chunked");
                } else {
                    exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
                }
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, chunked ? 0 : size);
            byte[] buffer = new byte[16 * 1024 + 3];
            try (OutputStream out = exchange.getResponseBody()) {
                for (long position = 0; position < size; position += buffer.length) {
                    int n = (int) Math.min(buffer.length, size - position);
                    StreamingWire.fill(buffer, n, position);
                    out.write(buffer, 0, n);
                }
            }
        }

        private void echo(HttpExchange exchange, Map<String, String> query) throws IOException, InterruptedException {
            String id = query.get("id");
            echoes.add(id);
            byte[] body = exchange.getRequestBody().readAllBytes();
            String sleep = query.get("sleep");
            if (sleep != null) {
                Thread.sleep(Long.parseLong(sleep));
            }
            answer(exchange, body.length == 0 ? id : id + ":" + new String(body, StandardCharsets.ISO_8859_1));
        }

        private static void answer(HttpExchange exchange, String text) throws IOException {
            byte[] body = text.getBytes(StandardCharsets.ISO_8859_1);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        private static Map<String, String> query(String raw) {
            Map<String, String> params = new HashMap<>();
            if (raw != null) {
                for (String pair : raw.split("&")) {
                    int eq = pair.indexOf('=');
                    params.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
                }
            }
            return params;
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
