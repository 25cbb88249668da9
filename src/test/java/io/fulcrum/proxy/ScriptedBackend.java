package io.fulcrum.proxy;

import io.fulcrum.testing.RawHttp;
import java.io.IOException;
import java.io.PushbackInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A misbehaving target on a loopback port, written with a raw {@link ServerSocket} so that it can do
 * what a real HTTP server would not: close or reset after a request head, answer garbage, stay
 * silent, or drop idle keep-alive connections. It counts the request heads it read.
 */
final class ScriptedBackend implements AutoCloseable {
    /** What the backend does with one accepted connection. */
    enum Behaviour {
        /** Reads the request (head and Content-Length body), then closes without answering (FIN). */
        CLOSE_AFTER_REQUEST,
        /** Reads the request head, then resets the connection (SO_LINGER 0, RST). */
        RESET_AFTER_HEAD,
        /** Reads the request, then answers bytes that are not an HTTP response and closes. */
        GARBAGE,
        /** Reads the request and never answers; holds the connection until the proxy closes it. */
        SILENT,
        /** Answers 200 "ok" (keep-alive); closes a connection that stays idle for 50 ms. */
        OK_THEN_CLOSE_WHEN_IDLE,
        /** Answers 200 "ok" without {@code Connection: close}, and closes at once after the response. */
        OK_THEN_CLOSE_AT_ONCE
    }

    private final ServerSocket server;
    private final Behaviour behaviour;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger closedIdle = new AtomicInteger();
    private final List<String> requestHeads = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    ScriptedBackend(Behaviour behaviour) throws IOException {
        this.behaviour = behaviour;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    /** Request heads read so far (request line and headers). */
    List<String> requestHeads() {
        return requestHeads;
    }

    int requestCount() {
        return requestHeads.size();
    }

    int connectionCount() {
        return connections.get();
    }

    /** Connections this backend closed because they stayed idle after a response. */
    int closedIdleCount() {
        return closedIdle.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                open.add(socket);
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            PushbackInputStream in = new PushbackInputStream(socket.getInputStream(), 1);
            while (true) {
                String head = RawHttp.readHead(in);
                if (head == null) {
                    return;
                }
                requestHeads.add(head);
                switch (behaviour) {
                    case RESET_AFTER_HEAD -> {
                        socket.setSoLinger(true, 0);
                        return;
                    }
                    case CLOSE_AFTER_REQUEST -> {
                        in.readNBytes(RawHttp.contentLength(head));
                        return;
                    }
                    case GARBAGE -> {
                        in.readNBytes(RawHttp.contentLength(head));
                        socket.getOutputStream().write("NOT AN HTTP RESPONSE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        socket.getOutputStream().flush();
                        return;
                    }
                    case SILENT -> {
                        while (in.read() >= 0) {
                            // hold the connection until the peer closes it
                        }
                        return;
                    }
                    case OK_THEN_CLOSE_WHEN_IDLE, OK_THEN_CLOSE_AT_ONCE -> {
                        in.readNBytes(RawHttp.contentLength(head));
                        socket.getOutputStream().write(
                                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                        socket.getOutputStream().flush();
                        if (behaviour == Behaviour.OK_THEN_CLOSE_AT_ONCE) {
                            closedIdle.incrementAndGet();
                            return;
                        }
                        socket.setSoTimeout(50);
                        try {
                            int first = in.read(); // the next request's first byte, or none within 50 ms
                            if (first < 0) {
                                return;
                            }
                            in.unread(first);
                            socket.setSoTimeout(0);
                        } catch (SocketTimeoutException e) {
                            closedIdle.incrementAndGet();
                            return;
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the proxy closed or reset the connection
        } finally {
            open.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
        threads.shutdownNow();
    }
}
