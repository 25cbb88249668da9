package io.fulcrum.endtoend;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A raw HTTP/1.1 client on loopback: each request on its own connection with {@code Connection: close},
 * so any header (Host included) can be sent as written and the response is read to the end.
 */
final class Http {
    static {
        noDelayBackends();
    }

    private Http() {
    }

    /**
     * The JDK's HttpServer writes a response head and body in two segments without TCP_NODELAY, so with
     * delayed ACKs each response waits ~40 ms; set before the first HttpServer is created in this JVM.
     */
    static void noDelayBackends() {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** A parsed response: status, headers by lower-case name (all values), body as text. */
    record Response(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        /** The value of the cookie {@code name} this response sets, or null. */
        String setCookie(String name) {
            for (String header : headers("Set-Cookie")) {
                if (header.startsWith(name + "=")) {
                    int end = header.indexOf(';');
                    return header.substring(name.length() + 1, end < 0 ? header.length() : end);
                }
            }
            return null;
        }
    }

    /** GET {@code target} with Host 127.0.0.1 and the extra header lines given ("Name: value"). */
    static Response get(int port, String target, String... headerLines) throws IOException {
        return request(port, "GET", target, "127.0.0.1", headerLines);
    }

    static Response request(int port, String method, String target, String host, String... headerLines)
            throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        text.append("Host: ").append(host).append("\r\n");
        for (String line : headerLines) {
            text.append(line).append("\r\n");
        }
        text.append("Connection: close\r\n\r\n");
        return raw(port, text.toString());
    }

    /** Sends raw request bytes on a fresh connection and reads the response until the connection closes. */
    static Response raw(int port, String requestText) throws IOException {
        try (Socket socket = connect(port)) {
            OutputStream out = socket.getOutputStream();
            out.write(requestText.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(20_000);
        return socket;
    }

    /** Reads one response with a Content-Length body from a connection that stays open. */
    static Response readOne(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before a response head: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        Response headOnly = parse(head.toByteArray());
        String length = headOnly.header("Content-Length");
        byte[] body = in.readNBytes(length == null ? 0 : Integer.parseInt(length.trim()));
        return new Response(headOnly.status(), headOnly.headers(), new String(body, StandardCharsets.UTF_8));
    }

    static Response parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("not an HTTP response: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ", 3)[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** How many of {@code n} GETs of {@code target}, on one keep-alive connection, each body answered. */
    static Map<String, Integer> count(int port, String target, int n, String... headerLines) throws IOException {
        StringBuilder text = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String line : headerLines) {
            text.append(line).append("\r\n");
        }
        byte[] request = text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (Socket socket = connect(port)) {
            for (int i = 0; i < n; i++) {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                Response response = readOne(socket.getInputStream());
                if (response.status() != 200) {
                    throw new AssertionError("request " + i + " of " + target + ": " + response);
                }
                counts.merge(response.body(), 1, Integer::sum);
            }
        }
        return counts;
    }
}
