package io.fulcrum.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.testing.RawHttp;
import io.fulcrum.testing.TestBackend;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Raw bytes on a socket that a strict proxy must refuse: each is answered with the exact status, the
 * connection is closed, the error is counted, and the backend receives nothing, while a valid request on
 * a new connection right after is forwarded.
 */
class MalformedRequestTest {
    private static RejectionFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = RejectionFixture.start();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    static Stream<Arguments> badFraming() {
        return Stream.of(
                Arguments.of("Content-Length and Transfer-Encoding",
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("Transfer-Encoding then Content-Length",
                        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 22\r\n\r\n"
                                + "5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("two different Content-Lengths",
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
                Arguments.of("two Content-Lengths in one line",
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\nhello!"),
                Arguments.of("a non-numeric Content-Length",
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\nhello"),
                Arguments.of("a signed Content-Length",
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello"),
                Arguments.of("a negative Content-Length",
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFraming")
    void ambiguousBodyFramingIs400(String what, String request) throws Exception {
        fixture.assertRejected(request, ErrorCode.BAD_REQUEST);
    }

    static Stream<Arguments> badHeadSyntax() {
        return Stream.of(
                Arguments.of("bare LF line endings", "GET / HTTP/1.1\nHost: a\n\n"),
                Arguments.of("one bare LF among CRLFs", "GET / HTTP/1.1\r\nHost: a\nX-A: b\r\n\r\n"),
                Arguments.of("a bare LF after the request line", "GET / HTTP/1.1\nHost: a\r\n\r\n"),
                Arguments.of("NUL in a header value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: a\0b\r\n\r\n"),
                Arguments.of("NUL in the Host value", "GET / HTTP/1.1\r\nHost: a\0.example\r\n\r\n"),
                Arguments.of("CR alone inside a header value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: a\rb\r\n\r\n"),
                Arguments.of("CR alone ending a header value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: ab\r\r\n\r\n"),
                Arguments.of("obs-fold with a space", "GET / HTTP/1.1\r\nHost: a\r\nX-A: a\r\n b\r\n\r\n"),
                Arguments.of("obs-fold with a tab", "GET / HTTP/1.1\r\nHost: a\r\nX-A: a\r\n\tb\r\n\r\n"),
                Arguments.of("obs-fold of the Host header", "GET / HTTP/1.1\r\nHost: a\r\n .example\r\n\r\n"),
                Arguments.of("whitespace before the first header", "GET / HTTP/1.1\r\n Host: a\r\n\r\n"),
                Arguments.of("a space before the colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n"),
                Arguments.of("a tab before the colon", "GET / HTTP/1.1\r\nHost: a\r\nX-A\t: b\r\n\r\n"),
                Arguments.of("a header line without a colon", "GET / HTTP/1.1\r\nHost: a\r\nX-A b\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badHeadSyntax")
    void badHeadSyntaxIs400(String what, String request) throws Exception {
        fixture.assertRejected(request, ErrorCode.BAD_REQUEST);
    }

    static Stream<Arguments> badHost() {
        return Stream.of(
                Arguments.of("HTTP/1.1 without Host", "GET / HTTP/1.1\r\nX-A: b\r\n\r\n"),
                Arguments.of("two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
                Arguments.of("two equal Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n"),
                Arguments.of("an empty Host on HTTP/1.1", "GET / HTTP/1.1\r\nHost: \r\n\r\n"),
                Arguments.of("two Host headers on HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badHost")
    void missingOrDuplicateHostIs400(String what, String request) throws Exception {
        fixture.assertRejected(request, ErrorCode.BAD_REQUEST);
    }

    @Test
    void http10WithoutHostIsForwarded() throws Exception {
        int before = fixture.backend().requestCount();
        try (RawHttp client = new RawHttp(fixture.port())) {
            RawHttp.Response response = client.send("GET /ten HTTP/1.0\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.statusLine()).startsWith("HTTP/1.0 ");
            assertThat(response.body()).isEqualTo("web");
            assertThat(client.closedByServer()).as("an HTTP/1.0 request without keep-alive closes").isTrue();
        }
        TestBackend.Received seen = fixture.backend().received().get(before);
        assertThat(seen.uri()).isEqualTo("/ten");
        assertThat(seen.header("Host")).as("Host supplied toward the target").isNotBlank();
    }

    static Stream<Arguments> unknownCodings() {
        return Stream.of(
                Arguments.of("gzip alone", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\nabc"),
                Arguments.of("gzip, chunked",
                        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
                Arguments.of("gzip and chunked on two lines",
                        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "3\r\nabc\r\n0\r\n\r\n"),
                Arguments.of("an unknown token",
                        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: x-custom\r\n\r\nabc"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownCodings")
    void unknownTransferCodingIs501(String what, String request) throws Exception {
        fixture.assertRejected(request, ErrorCode.NOT_IMPLEMENTED);
    }

    @Test
    void traceIs405() throws Exception {
        fixture.assertRejected("TRACE / HTTP/1.1\r\nHost: a\r\n\r\n", ErrorCode.METHOD_NOT_ALLOWED);
    }

    @Test
    void aRejectedRequestDoesNotLetAPipelinedOneThrough() throws Exception {
        // the second request is valid, but it follows a refused one on the same connection: once the
        // framing of the first is in doubt nothing after it may be trusted, so it must not be forwarded
        fixture.assertRejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n", ErrorCode.BAD_REQUEST);
    }
}
