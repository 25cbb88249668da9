package io.fulcrum.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The response scanner, fed whole and split at every byte position. */
class HttpResponseScannerTest {
    /** The events of scanning {@code response} cut in two at {@code cut}; after "done", the bytes left unread. */
    private static List<String> scan(String response, int cut) {
        HttpResponseScanner scanner = new HttpResponseScanner();
        byte[] bytes = response.getBytes(StandardCharsets.ISO_8859_1);
        List<String> events = new ArrayList<>();
        ByteBuf first = Unpooled.wrappedBuffer(bytes, 0, cut);
        ByteBuf second = Unpooled.wrappedBuffer(bytes, cut, bytes.length - cut);
        for (ByteBuf part : new ByteBuf[] {first, second}) {
            for (int event = scanner.scan(part); event != HttpResponseScanner.NEED_MORE; event = scanner.scan(part)) {
                switch (event) {
                    case HttpResponseScanner.HEAD -> events.add("head " + scanner.status() + " " + scanner.keepAlive());
                    case HttpResponseScanner.DONE -> {
                        events.add("done");
                        events.add("left " + (first.readableBytes() + second.readableBytes()));
                        return events;
                    }
                    default -> {
                        events.add("invalid");
                        return events;
                    }
                }
            }
        }
        return events;
    }

    private static void everySplit(String response, String... expected) {
        for (int cut = 0; cut <= response.length(); cut++) {
            assertThat(scan(response, cut)).as("cut at %d", cut).containsExactly(expected);
        }
    }

    @Test
    void contentLengthBodyIsSkippedAndTheConnectionKept() {
        everySplit("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\ncontent-length: 3\r\n\r\nok\nGARBAGE",
                "head 200 true", "done", "left 7");
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailersIsSkipped() {
        everySplit("HTTP/1.1 503 Busy\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                        + "4;ext=1\r\nabcd\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n",
                "head 503 true", "done", "left 0");
    }

    @Test
    void interimAnswersAreSkipped() {
        everySplit("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX: y\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\n\r\n", "head 204 true", "done", "left 0");
    }

    @Test
    void closeHttp10AndUnframedBodiesEndTheConnection() {
        assertThat(scan("HTTP/1.1 200 OK\r\nConnection: Keep-Alive, CLOSE\r\nContent-Length: 0\r\n\r\n", 5))
                .containsExactly("head 200 false", "done", "left 0");
        assertThat(scan("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 5))
                .containsExactly("head 200 false", "done", "left 0");
        assertThat(scan("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", 5))
                .containsExactly("head 200 true", "done", "left 0");
        // no length: the body runs until the connection closes
        assertThat(scan("HTTP/1.1 302 Found\r\nLocation: /x\r\n\r\nbody...", 5)).containsExactly("head 302 false");
    }

    @Test
    void whatIsNotAnHttpResponseIsInvalid() {
        everySplit("SSH-2.0-OpenSSH_9.2\r\n", "invalid");
        assertThat(scan("HTTP/1.1 20 OK\r\n\r\n", 3)).containsExactly("invalid");
        assertThat(scan("HTTP/2 200\r\n\r\n", 3)).containsExactly("invalid");
        assertThat(scan("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", 3)).containsExactly("invalid");
        assertThat(scan("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 3))
                .containsExactly("invalid");
        assertThat(scan("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", 3)).containsExactly("invalid");
        assertThat(scan("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 3))
                .containsExactly("head 200 true", "invalid");
    }

    @Test
    void aHeadLongerThanTheLimitIsInvalid() {
        String longHeader = "X-Long: " + "a".repeat(HttpResponseScanner.MAX_LINE) + "\r\n";
        assertThat(scan("HTTP/1.1 200 OK\r\n" + longHeader + "\r\n", 100)).containsExactly("invalid");
        String manyHeaders = ("X-Some: " + "b".repeat(1000) + "\r\n").repeat(20);
        assertThat(scan("HTTP/1.1 200 OK\r\n" + manyHeaders + "\r\n", 100)).containsExactly("invalid");
    }
}
