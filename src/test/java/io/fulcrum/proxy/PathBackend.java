package io.fulcrum.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP/1.1 backend on a loopback ephemeral port that says who answered what: "id uri" for any path,
 * the request body back for {@code /echo}, and {@code n} bytes of a known pattern for {@code /big?n=}.
 */
final class PathBackend implements AutoCloseable {
    private final String id;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    final Queue<String> uris = new ConcurrentLinkedQueue<>();
    final Queue<String> forwardedFor = new ConcurrentLinkedQueue<>();

    PathBackend(String id) throws IOException {
        this.id = id;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The byte at {@code index} of a /big body. */
    static byte patternAt(long index) {
        return (byte) ('a' + index % 26);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String uri = exchange.getRequestURI().toString();
            uris.add(uri);
            String xff = exchange.getRequestHeaders().getFirst("X-Forwarded-For");
            forwardedFor.add(xff == null ? "" : xff);
            exchange.getResponseHeaders().set("X-Backend-Id", id);
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/echo")) {
                exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            if (path.equals("/big")) {
                int n = Integer.parseInt(exchange.getRequestURI().getQuery().substring(2));
                exchange.sendResponseHeaders(200, n);
                try (OutputStream out = exchange.getResponseBody()) {
                    byte[] chunk = new byte[64 * 1024];
                    for (int sent = 0; sent < n; ) {
                        int size = Math.min(chunk.length, n - sent);
                        for (int i = 0; i < size; i++) {
                            chunk[i] = patternAt(sent + i);
                        }
                        out.write(chunk, 0, size);
                        sent += size;
                    }
                }
                return;
            }
            byte[] answer = (id + " " + uri).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
