package io.fulcrum.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP backend on a loopback ephemeral port for tests: answers "id" by default, records the
 * requests it received, and can be told to answer /health with another status.
 */
public final class TestBackend implements AutoCloseable {
    private final String id;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int healthStatus = 200;

    /** One request as the backend saw it. */
    public record Received(String method, String uri, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name)) {
                    return String.join(",", entry.getValue());
                }
            }
            return null;
        }
    }

    public TestBackend(String id) throws IOException {
        this(id, 0);
    }

    public TestBackend(String id, int port) throws IOException {
        this.id = id;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    public String id() {
        return id;
    }

    public void healthStatus(int status) {
        this.healthStatus = status;
    }

    /** Requests other than health checks. */
    public List<Received> received() {
        return received;
    }

    public int requestCount() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/health")) {
                byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(healthStatus, ok.length);
                exchange.getResponseBody().write(ok);
                return;
            }
            requests.incrementAndGet();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    Map.copyOf(new ConcurrentHashMap<>(exchange.getRequestHeaders())), body));
            String query = exchange.getRequestURI().getQuery();
            if (query != null && query.startsWith("sleep=")) {
                Thread.sleep(Long.parseLong(query.substring(6)));
            }
            byte[] answer = id.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("X-Backend-Id", id);
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
