package io.fulcrum.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code fulcrum demo-backend}: a small HTTP backend to put behind Fulcrum while trying it out. It
 * answers with its id; query parameters ask it for a delay, a status code, a body size or CPU work.
 */
@Command(name = "demo-backend", mixinStandardHelpOptions = true,
        description = {"A demo HTTP backend that answers with its id.",
            "Query parameters: delay=<ms> (wait), status=<code>, size=<bytes> (body of that size),",
            "cpu=<ms> (burn CPU). GET /health answers 200, or 503 after a request to /health/fail",
            "(to see an ELB health check replace an instance); /health/recover undoes it."})
final class DemoBackendCommand implements Callable<Integer> {
    @Option(names = "--port", required = true, description = "Port to listen on.")
    int port;

    @Option(names = "--id", defaultValue = "demo", description = "The id it answers with. Default: ${DEFAULT-VALUE}")
    String id;

    @Option(names = "--zone", defaultValue = "", description = "The zone it says it runs in (auto scaling sets it).")
    String zone;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on. Default: ${DEFAULT-VALUE}")
    String bind;

    /** Set by /health/fail: /health answers 503 from then on. */
    private volatile boolean failingHealth;

    @Override
    public Integer call() throws Exception {
        // without it the JDK's server waits on Nagle's algorithm, ~40 ms per keep-alive response
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 512);
        } catch (IOException e) {
            System.err.println("demo-backend: cannot listen on " + bind + ":" + port + ": " + e.getMessage());
            return 1;
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "demo-" + id);
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
        System.out.println("demo-backend " + id + " listening on " + bind + ":" + port);
        CountDownLatch stopped = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stopped.countDown());
        Signal.handle(new Signal("INT"), signal -> stopped.countDown());
        stopped.await();
        server.stop(0);
        return 0;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.transferTo(OutputStream.nullOutputStream());
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String path = exchange.getRequestURI().getPath();
            long delay = number(query.get("delay"), 0);
            long cpu = number(query.get("cpu"), 0);
            int status = (int) number(query.get("status"), 200);
            long size = number(query.get("size"), -1);
            if (cpu > 0) {
                burn(cpu);
            }
            if (delay > 0) {
                Thread.sleep(delay);
            }
            if (path.equals("/health/fail") || path.equals("/health/recover")) {
                failingHealth = path.equals("/health/fail");
                path = "/health";
            }
            if (path.equals("/health") && failingHealth) {
                status = 503;
            }
            String hello = "Hello from " + id + (zone.isEmpty() ? "" : " in " + zone) + "\n";
            byte[] text = (path.equals("/health") ? (failingHealth ? "failing\n" : "ok\n") : hello)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.getResponseHeaders().set("X-Backend-Id", id);
            if (!zone.isEmpty()) {
                exchange.getResponseHeaders().set("X-Backend-Zone", zone);
            }
            if (size < 0) {
                exchange.sendResponseHeaders(status, text.length);
                exchange.getResponseBody().write(text);
                return;
            }
            exchange.sendResponseHeaders(status, size == 0 ? -1 : size);
            byte[] block = new byte[64 * 1024];
            java.util.Arrays.fill(block, (byte) 'x');
            OutputStream out = exchange.getResponseBody();
            for (long left = size; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Spins for {@code millis} of wall time, to make load visible to CPU-based scaling. */
    private static void burn(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long x = 0;
        while (System.nanoTime() < end) {
            x += Long.numberOfTrailingZeros(x + 1);
        }
        if (x == 42) {
            System.out.print("");
        }
    }

    private static long number(String text, long otherwise) {
        if (text == null) {
            return otherwise;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return values;
    }
}
