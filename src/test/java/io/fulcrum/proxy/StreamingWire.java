package io.fulcrum.proxy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Raw HTTP/1.x on a byte stream for the streaming tests: parses response heads and bodies exactly as
 * they are framed on the wire (so a stray chunk terminator or a missing one shows), and produces the
 * deterministic body bytes both ends of a transfer agree on.
 */
final class StreamingWire {
    private StreamingWire() {
    }

    /** A response head as read from the wire; header names lower-cased. */
    record Head(String statusLine, String version, int status, Map<String, List<String>> headers) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : String.join(",", values);
        }

        boolean chunked() {
            String te = header("transfer-encoding");
            return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
        }
    }

    /** A whole response: its head and body. */
    record Response(Head head, byte[] body) {
        int status() {
            return head.status();
        }

        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** Receives body bytes as they arrive. */
    interface Sink {
        void accept(byte[] bytes, int offset, int length) throws IOException;
    }

    /** Reads one response head (status line and headers, up to the empty line). */
    static Head readHead(InputStream in) throws IOException {
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not a status line: \"" + statusLine + "\"");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String line;
        while (!(line = readLine(in)).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("not a header line: \"" + line + "\"");
            }
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        return new Head(statusLine, parts[0], Integer.parseInt(parts[1]), headers);
    }

    /**
     * Reads a body framed as {@code head} says (none for HEAD, 1xx, 204, 304; chunked; Content-Length;
     * else up to the close) into {@code sink}, returning its length.
     */
    static long readBody(InputStream in, Head head, boolean answersHead, Sink sink) throws IOException {
        int status = head.status();
        if (answersHead || status < 200 || status == 204 || status == 304) {
            return 0;
        }
        byte[] buffer = new byte[64 * 1024];
        if (head.chunked()) {
            long total = 0;
            while (true) {
                String sizeLine = readLine(in);
                int semicolon = sizeLine.indexOf(';');
                long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailers: none expected, skipped
                    }
                    return total;
                }
                copy(in, size, buffer, sink);
                total += size;
                if (!readLine(in).isEmpty()) {
                    throw new IOException("chunk of " + size + " bytes not followed by CRLF");
                }
            }
        }
        String length = head.header("content-length");
        if (length != null) {
            long size = Long.parseLong(length);
            copy(in, size, buffer, sink);
            return size;
        }
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            sink.accept(buffer, 0, n);
            total += n;
        }
        return total;
    }

    /** Reads a whole response (a few MiB at most) into memory. */
    static Response readResponse(InputStream in, boolean answersHead) throws IOException {
        Head head = readHead(in);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        readBody(in, head, answersHead, body::write);
        return new Response(head, body.toByteArray());
    }

    private static void copy(InputStream in, long size, byte[] buffer, Sink sink) throws IOException {
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("body ended " + left + " bytes short of " + size);
            }
            sink.accept(buffer, 0, n);
            left -= n;
        }
    }

    /** A CRLF- (or LF-) terminated line, without its terminator. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed after \"" + line + "\"");
            }
            line.append((char) b);
        }
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            line.setLength(end - 1);
        }
        return line.toString();
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---- deterministic bodies -----------------------------------------------------------------

    /** The byte at {@code position} of every generated body: position-dependent, so loss, repetition or reordering shows. */
    static byte patternByte(long position) {
        return (byte) ((position * 0x9E3779B97F4A7C15L) >>> 56);
    }

    /** Fills {@code buffer[0, length)} with the pattern from {@code position}. */
    static void fill(byte[] buffer, int length, long position) {
        for (int i = 0; i < length; i++) {
            buffer[i] = patternByte(position + i);
        }
    }

    static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        fill(bytes, size, 0);
        return bytes;
    }

    /** CRC32 of the first {@code size} pattern bytes. */
    static long patternCrc(long size) {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[64 * 1024];
        for (long position = 0; position < size; position += buffer.length) {
            int n = (int) Math.min(buffer.length, size - position);
            fill(buffer, n, position);
            crc.update(buffer, 0, n);
        }
        return crc.getValue();
    }

    static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    /** Writes {@code size} pattern bytes as chunks of varying sizes (1 B to ~200 KiB), then the last chunk. */
    static void writeChunked(OutputStream out, int size) throws IOException {
        byte[] body = pattern(size);
        int[] sizes = {1, 7, 4096, 65_536, 200_003, 13, 32_768};
        int position = 0;
        for (int i = 0; position < size; i++) {
            int n = Math.min(sizes[i % sizes.length], size - position);
            out.write(ascii(Integer.toHexString(n) + "\r\n"));
            out.write(body, position, n);
            out.write(ascii("\r\n"));
            position += n;
        }
        out.write(ascii("0\r\n\r\n"));
        out.flush();
    }
}
