package io.fulcrum.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A blocking client of a TCP listener on loopback, for tests. */
final class TcpClient implements AutoCloseable {
    private final Socket socket;

    TcpClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
    }

    Socket socket() {
        return socket;
    }

    /** Sends {@code text} and asserts the echo. */
    TcpClient roundTrip(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(bytes);
        assertThat(new String(socket.getInputStream().readNBytes(bytes.length), StandardCharsets.UTF_8)).isEqualTo(text);
        return this;
    }

    /** Blocks until the listener closes the connection: true on EOF or reset. */
    boolean awaitClosed() {
        try {
            return socket.getInputStream().read() < 0;
        } catch (IOException e) {
            return !(e instanceof java.net.SocketTimeoutException);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
