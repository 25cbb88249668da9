package io.fulcrum.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A target that records every byte it receives, per connection, and whether the balancer closed the
 * connection. It answers 200 to each request it sees complete (head, then a body framed by
 * Content-Length or chunked up to its last chunk), so a test can tell a complete request from a
 * half-forwarded one exactly. Connections without bytes (TCP health checks) are left out.
 */
final class RawBackend implements AutoCloseable {
    private final ServerSocket server;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    /** One accepted connection, as the target saw it. */
    static final class Connection {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private volatile boolean closedByPeer;
        private volatile int completeRequests;

        synchronized String text() {
            return bytes.toString(StandardCharsets.ISO_8859_1);
        }

        synchronized int size() {
            return bytes.size();
        }

        /** True once the balancer closed (or reset) this connection. */
        boolean closedByPeer() {
            return closedByPeer;
        }

        /** Requests received whole, head and body. */
        int completeRequests() {
            return completeRequests;
        }

        @Override
        public String toString() {
            return "connection(closed=" + closedByPeer + ", complete=" + completeRequests + "): "
                    + RejectionFixture.printable(text().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    RawBackend() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        acceptor = new Thread(this::accept, "raw-backend-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Connections on which at least one byte arrived. */
    List<Connection> connections() {
        return connections.stream().filter(c -> c.size() > 0).toList();
    }

    int completeRequests() {
        return connections.stream().mapToInt(Connection::completeRequests).sum();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Connection connection = new Connection();
                connections.add(connection);
                Thread reader = new Thread(() -> serve(socket, connection), "raw-backend-conn");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket, Connection connection) {
        try (socket) {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int consumed = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (connection) {
                    connection.bytes.write(buffer, 0, n);
                }
                int end;
                while ((end = requestEnd(connection.text(), consumed)) >= 0) {
                    consumed = end;
                    connection.completeRequests++;
                    socket.getOutputStream().write(
                            "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nraw".getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().flush();
                }
            }
        } catch (IOException e) {
            // a reset: the balancer went away as well
        } finally {
            connection.closedByPeer = true;
        }
    }

    /** Where the request starting at {@code from} ends, or -1 when it is not complete (yet). */
    static int requestEnd(String text, int from) {
        int headEnd = text.indexOf("\r\n\r\n", from);
        if (headEnd < 0) {
            return -1;
        }
        String head = text.substring(from, headEnd).toLowerCase(Locale.ROOT);
        int bodyStart = headEnd + 4;
        if (head.contains("\r\ntransfer-encoding: chunked")) {
            int at = bodyStart;
            while (true) {
                int lineEnd = text.indexOf("\r\n", at);
                if (lineEnd < 0) {
                    return -1;
                }
                String sizeText = text.substring(at, lineEnd);
                int semicolon = sizeText.indexOf(';');
                int size;
                try {
                    size = Integer.parseInt((semicolon < 0 ? sizeText : sizeText.substring(0, semicolon)).trim(), 16);
                } catch (NumberFormatException e) {
                    return -1; // not a chunked body a target could finish
                }
                if (size == 0) {
                    int trailersEnd = text.indexOf("\r\n\r\n", lineEnd);
                    if (text.startsWith("\r\n\r\n", lineEnd)) {
                        return lineEnd + 4;
                    }
                    return trailersEnd < 0 ? -1 : trailersEnd + 4;
                }
                at = lineEnd + 2 + size + 2;
                if (at > text.length()) {
                    return -1;
                }
            }
        }
        int lengthAt = head.indexOf("\r\ncontent-length:");
        if (lengthAt >= 0) {
            int lineEnd = head.indexOf("\r\n", lengthAt + 2);
            String value = head.substring(lengthAt + 17, lineEnd < 0 ? head.length() : lineEnd).trim();
            int end = bodyStart + Integer.parseInt(value);
            return end <= text.length() ? end : -1;
        }
        return bodyStart;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
