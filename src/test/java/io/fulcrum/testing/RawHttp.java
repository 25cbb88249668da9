package io.fulcrum.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Raw HTTP/1.1 on loopback sockets for tests: exact bytes out, responses parsed strictly. One instance
 * is one connection ({@link #send}, {@link #read}, {@link #closedByServer}); the static helpers make
 * one-shot exchanges, either Content-Length delimited ({@link #exchange}) or read to the close
 * ({@link #request}, {@link #get}), and parse heads for scripted backends.
 */
public final class RawHttp implements AutoCloseable {
    /** How long a read may wait: a safety net against a hang, never a timing assertion. */
    public static final int READ_TIMEOUT_MILLIS = 20_000;
    /** How long to wait for the server's FIN after a response before concluding it kept the connection. */
    private static final int CLOSE_WAIT_MILLIS = 5_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** A response as read off the wire: headers by lower-case name (all values), body as ISO-8859-1 text. */
    public record Response(int status, String statusLine, Map<String, List<String>> headers, String body) {
        /** The first value of header {@code name}, or null. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        public List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        /** The value of the cookie {@code name} this response sets, or null. */
        public String setCookie(String name) {
            for (String header : headers("Set-Cookie")) {
                if (header.startsWith(name + "=")) {
                    int end = header.indexOf(';');
                    return header.substring(name.length() + 1, end < 0 ? header.length() : end);
                }
            }
            return null;
        }
    }

    /** Opens a connection to 127.0.0.1:{@code port}. */
    public RawHttp(int port) throws IOException {
        socket = connect(port);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public RawHttp send(String text) throws IOException {
        return send(ascii(text));
    }

    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one response on this connection: status line, headers, and a Content-Length body. */
    public Response read() throws IOException {
        return read(in);
    }

    /**
     * True when the server closed the connection (FIN or reset) with nothing more to read; false when it
     * is still open after a generous wait, or when it sent more bytes.
     */
    public boolean closedByServer() throws IOException {
        socket.setSoTimeout(CLOSE_WAIT_MILLIS);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset: closed as well
        } finally {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    // ---- one-shot helpers ---------------------------------------------------------------------

    /**
     * The JDK's HttpServer writes a response head and body in two segments without TCP_NODELAY, so with
     * delayed ACKs each response waits ~40 ms; call before the first HttpServer is created in this JVM.
     */
    public static void noDelayBackends() {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A loopback connection with TCP_NODELAY and the read timeout set. */
    public static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** The text of a keep-alive GET of {@code path} with Host lb.test. */
    public static String getRequest(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: lb.test\r\n\r\n";
    }

    /** The text of a keep-alive POST of a text/plain {@code body} to {@code path} with Host lb.test. */
    public static String postRequest(String path, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: lb.test\r\nContent-Type: text/plain\r\nContent-Length: "
                + ascii(body).length + "\r\n\r\n" + body;
    }

    /** Sends one request on a new connection and reads its Content-Length delimited response. */
    public static Response exchange(int port, String request) throws IOException {
        try (Socket socket = connect(port)) {
            write(socket, request);
            return read(socket.getInputStream());
        }
    }

    public static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(ascii(text));
        out.flush();
    }

    /** GET {@code target} with Host 127.0.0.1 and the extra header lines given ("Name: value"). */
    public static Response get(int port, String target, String... headerLines) throws IOException {
        return request(port, "GET", target, "127.0.0.1", headerLines);
    }

    /**
     * Sends a request with {@code Connection: close} on its own connection, so any header (Host included)
     * goes as written, and reads the response to the close.
     */
    public static Response request(int port, String method, String target, String host, String... headerLines)
            throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        text.append("Host: ").append(host).append("\r\n");
        for (String line : headerLines) {
            text.append(line).append("\r\n");
        }
        text.append("Connection: close\r\n\r\n");
        try (Socket socket = connect(port)) {
            write(socket, text.toString());
            byte[] bytes = socket.getInputStream().readAllBytes();
            String all = new String(bytes, StandardCharsets.ISO_8859_1);
            int end = all.indexOf("\r\n\r\n");
            if (end < 0) {
                throw new AssertionError("not an HTTP response: " + all);
            }
            return parse(all.substring(0, end), Arrays.copyOfRange(bytes, end + 4, bytes.length));
        }
    }

    /** How many of {@code n} GETs of {@code target}, on one keep-alive connection, each body answered. */
    public static Map<String, Integer> count(int port, String target, int n, String... headerLines)
            throws IOException {
        StringBuilder text = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String line : headerLines) {
            text.append(line).append("\r\n");
        }
        String request = text.append("\r\n").toString();
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (Socket socket = connect(port)) {
            for (int i = 0; i < n; i++) {
                write(socket, request);
                Response response = read(socket.getInputStream());
                if (response.status() != 200) {
                    throw new AssertionError("request " + i + " of " + target + ": " + response);
                }
                counts.merge(response.body(), 1, Integer::sum);
            }
        }
        return counts;
    }

    // ---- parsing ------------------------------------------------------------------------------

    /** Reads a response head and its Content-Length body; fails when the connection ends first. */
    public static Response read(InputStream in) throws IOException {
        String head = readHead(in);
        if (head == null) {
            throw new IOException("connection closed before a response");
        }
        return parse(head, in.readNBytes(contentLength(head)));
    }

    /** The head up to (without) the blank line, or null when the stream ends before any byte. */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0; // how much of CR LF CR LF has been seen
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("connection closed inside a head: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                byte[] bytes = head.toByteArray();
                return new String(bytes, 0, bytes.length - 4, StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** The Content-Length of a request or response head, 0 when absent. */
    public static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                return Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        return 0;
    }

    private static Response parse(String head, byte[] body) {
        String[] lines = head.split("\r\n");
        String statusLine = lines[0];
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        return new Response(status, statusLine, headers, new String(body, StandardCharsets.ISO_8859_1));
    }
}
