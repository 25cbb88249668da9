package io.fulcrum.health;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP backend on loopback whose answer can be switched: a status code, hang, or close at once;
 * one request per connection, or keep-alive (optionally closing kept connections when reused).
 */
final class TestBackend implements AutoCloseable {
    enum Behaviour { ANSWER, HANG, CLOSE }

    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Map<Integer, AtomicInteger> answered = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile Behaviour behaviour = Behaviour.ANSWER;
    private volatile int status = 200;
    private volatile boolean keepAlive;
    private volatile boolean closeReused;
    private volatile List<String> lastRequestHead = List.of();
    private volatile ServerSocket server;
    private int port;

    static TestBackend start() throws IOException {
        TestBackend backend = new TestBackend();
        backend.bind(0);
        return backend;
    }

    int port() {
        return port;
    }

    void answer(int code) {
        status = code;
        behaviour = Behaviour.ANSWER;
    }

    /** Answers without {@code Connection: close} and serves further requests on the same connection. */
    void keepAlive(boolean keep) {
        keepAlive = keep;
    }

    /** A connection's second and later requests are read and get no answer: the connection is closed. */
    void closeReusedConnections(boolean close) {
        closeReused = close;
    }

    void hang() {
        behaviour = Behaviour.HANG;
    }

    void closeAtOnce() {
        behaviour = Behaviour.CLOSE;
    }

    /** Responses sent with {@code code}. */
    int answered(int code) {
        AtomicInteger n = answered.get(code);
        return n == null ? 0 : n.get();
    }

    /** Connections accepted. */
    int connections() {
        return connections.get();
    }

    /** Request line and headers of the latest request read. */
    List<String> lastRequestHead() {
        return lastRequestHead;
    }

    /** Stops listening and closes every connection: probes are then refused. */
    void stop() throws IOException {
        ServerSocket s = server;
        server = null;
        if (s != null) {
            s.close();
        }
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    /** Listens again on the same port. */
    void restart() throws IOException {
        bind(port);
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    private void bind(int wanted) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 50);
        port = s.getLocalPort();
        server = s;
        Thread acceptor = new Thread(() -> acceptLoop(s), "test-backend-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket socket = s.accept();
                connections.incrementAndGet();
                open.add(socket);
                Thread worker = new Thread(() -> serve(socket), "test-backend-conn-" + port);
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            if (behaviour == Behaviour.CLOSE) {
                return;
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            for (int served = 0; ; served++) {
                List<String> head = new ArrayList<>();
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    head.add(line);
                }
                if (head.isEmpty()) {
                    return; // a TCP check, or the prober closed a kept connection
                }
                if (served > 0 && closeReused) {
                    return; // a stale kept connection: read the request, close without an answer
                }
                lastRequestHead = List.copyOf(head);
                if (behaviour == Behaviour.HANG) {
                    while (in.read() >= 0) {
                        // wait until the prober gives up and closes
                    }
                    return;
                }
                int code = status;
                boolean keep = keepAlive;
                answered.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
                String body = "status " + code + "\n";
                out.write(("HTTP/1.1 " + code + " Test\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                        + (keep ? "" : "\r\nConnection: close") + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (!keep) {
                    return;
                }
            }
        } catch (IOException e) {
            // the prober closed first: fine
        } finally {
            open.remove(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
