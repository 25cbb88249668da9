package io.fulcrum.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A blocking TCP backend on loopback, a thread per connection. {@link Mode#ECHO} echoes as it reads and
 * answers the client's FIN with its own; {@link Mode#REPLY_AFTER_EOF} reads until the client's FIN and
 * only then writes everything back (it needs half-close to work). With {@code proxyProtocol}, each
 * connection must start with a Proxy Protocol v2 header, parsed into {@link #headers()}.
 */
final class EchoBackend implements AutoCloseable {
    enum Mode { ECHO, REPLY_AFTER_EOF }

    /** A parsed Proxy Protocol v2 header. */
    record ProxyHeader(int versionCommand, int family, String source, int sourcePort, String destination,
                       int destinationPort) {
    }

    private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private final ServerSocket server;
    private final Mode mode;
    private final boolean proxyProtocol;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "echo-backend");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<ProxyHeader> headers = new CopyOnWriteArrayList<>();
    private final List<String> headerErrors = new CopyOnWriteArrayList<>();
    private final AtomicInteger dataConnections = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong bytesRead = new AtomicLong();

    EchoBackend(Mode mode, boolean proxyProtocol, int bufferSize) throws IOException {
        this.mode = mode;
        this.proxyProtocol = proxyProtocol;
        this.server = new ServerSocket();
        if (bufferSize > 0) {
            server.setReceiveBufferSize(bufferSize); // inherited by accepted sockets: no autotuning
        }
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        threads.execute(this::acceptLoop);
    }

    EchoBackend() throws IOException {
        this(Mode.ECHO, false, 0);
    }

    int port() {
        return server.getLocalPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    /** Connections that carried at least one byte (health-check probes carry none). */
    int dataConnections() {
        return dataConnections.get();
    }

    /** Connections accepted, probes included. */
    int accepted() {
        return accepted.get();
    }

    int openConnections() {
        return open.get();
    }

    long bytesRead() {
        return bytesRead.get();
    }

    List<ProxyHeader> headers() {
        return headers;
    }

    List<String> headerErrors() {
        return headerErrors;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                sockets.add(socket);
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        open.incrementAndGet();
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            if (proxyProtocol && !readHeader(in)) {
                return;
            }
            byte[] buffer = new byte[16 * 1024];
            java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
            boolean counted = false;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (!counted && n > 0) {
                    counted = true;
                    dataConnections.incrementAndGet();
                }
                bytesRead.addAndGet(n);
                if (mode == Mode.ECHO) {
                    out.write(buffer, 0, n);
                } else {
                    kept.write(buffer, 0, n);
                }
            }
            if (mode == Mode.REPLY_AFTER_EOF) {
                out.write(kept.toByteArray());
            }
            socket.shutdownOutput();
        } catch (IOException e) {
            // the peer went away: nothing to answer
        } finally {
            open.decrementAndGet();
        }
    }

    private boolean readHeader(InputStream in) throws IOException {
        byte[] fixed = in.readNBytes(16);
        if (fixed.length == 0) {
            return false; // a health-check probe: connect and close
        }
        if (fixed.length < 16 || !java.util.Arrays.equals(java.util.Arrays.copyOf(fixed, 12), SIGNATURE)) {
            headerErrors.add("bad signature: " + java.util.HexFormat.of().formatHex(fixed));
            return false;
        }
        int length = ((fixed[14] & 0xFF) << 8) | (fixed[15] & 0xFF);
        byte[] block = in.readNBytes(length);
        int family = fixed[13] & 0xFF;
        int addressBytes = family == 0x11 ? 4 : 16;
        if (block.length != length || length < 2 * addressBytes + 4) {
            headerErrors.add("short address block: " + block.length + " of " + length);
            return false;
        }
        String source = InetAddress.getByAddress(java.util.Arrays.copyOfRange(block, 0, addressBytes)).getHostAddress();
        String destination = InetAddress.getByAddress(
                java.util.Arrays.copyOfRange(block, addressBytes, 2 * addressBytes)).getHostAddress();
        int ports = 2 * addressBytes;
        int sourcePort = ((block[ports] & 0xFF) << 8) | (block[ports + 1] & 0xFF);
        int destinationPort = ((block[ports + 2] & 0xFF) << 8) | (block[ports + 3] & 0xFF);
        headers.add(new ProxyHeader(fixed[12] & 0xFF, family, source, sourcePort, destination, destinationPort));
        return true;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        threads.shutdownNow();
    }
}
