package io.fulcrum.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.testing.RawHttp;
import io.fulcrum.testing.TestBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The head size limits are ALB's, not Netty's 4/8 KiB defaults: request line 16 KiB (414), one header
 * 16 KiB and all headers 64 KiB (431). Heads within the limits but far over Netty's defaults are
 * forwarded whole.
 */
class RequestLimitsTest {
    private static final int KIB = 1024;
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

    /** A request line of exactly {@code length} bytes (without CRLF). */
    private static String requestLine(int length) {
        String prefix = "GET /long?q=";
        String suffix = " HTTP/1.1";
        return prefix + "a".repeat(length - prefix.length() - suffix.length()) + suffix;
    }

    /** A header line of exactly {@code length} bytes (name, colon, space, value; without CRLF). */
    private static String header(String name, int length) {
        return name + ": " + "v".repeat(length - name.length() - 2);
    }

    @Test
    void aRequestLineOver16KiBIs414() throws Exception {
        fixture.assertRejected(requestLine(16 * KIB + 100) + "\r\nHost: a\r\n\r\n", ErrorCode.URI_TOO_LONG);
    }

    @Test
    void aRequestLineFarOver16KiBIs414() throws Exception {
        fixture.assertRejected(requestLine(40 * KIB) + "\r\nHost: a\r\n\r\n", ErrorCode.URI_TOO_LONG);
    }

    @Test
    void oneHeaderOver16KiBIs431() throws Exception {
        fixture.assertRejected("GET / HTTP/1.1\r\nHost: a\r\n" + header("X-Big", 16 * KIB + 100) + "\r\n"
                + header("X-Small", 100) + "\r\n\r\n", ErrorCode.HEADERS_TOO_LARGE);
    }

    @Test
    void headersTotallingOver64KiBAre431() throws Exception {
        StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 5; i++) {
            request.append(header("X-Part-" + i, 14 * KIB)).append("\r\n"); // each one within 16 KiB
        }
        fixture.assertRejected(request.append("\r\n").toString(), ErrorCode.HEADERS_TOO_LARGE);
    }

    @Test
    void manySmallHeadersTotallingOver64KiBAre431() throws Exception {
        StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 700; i++) {
            request.append(header("X-H" + i, 100)).append("\r\n");
        }
        fixture.assertRejected(request.append("\r\n").toString(), ErrorCode.HEADERS_TOO_LARGE);
    }

    @Test
    void aRequestLineOf15KiBAndHeadersOf60KiBAreForwarded() throws Exception {
        String line = requestLine(15 * KIB);
        StringBuilder request = new StringBuilder(line).append("\r\nHost: a\r\nConnection: close\r\n");
        for (int i = 0; i < 4; i++) {
            request.append(header("X-Part-" + i, 15 * KIB - 20)).append("\r\n"); // 60 KiB less 80 bytes in all
        }
        int before = fixture.backend().requestCount();
        try (RawHttp client = new RawHttp(fixture.port())) {
            RawHttp.Response response = client.send(request.append("\r\n").toString()).read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("web");
        }
        TestBackend.Received seen = fixture.backend().received().get(before);
        assertThat(seen.uri()).isEqualTo(line.substring(4, line.length() - 9));
        for (int i = 0; i < 4; i++) {
            assertThat(seen.header("X-Part-" + i)).as("X-Part-%d", i).hasSize(15 * KIB - 20 - ("X-Part-" + i).length() - 2);
        }
    }

    @Test
    void oneHeaderJustUnder16KiBIsForwarded() throws Exception {
        int before = fixture.backend().requestCount();
        try (RawHttp client = new RawHttp(fixture.port())) {
            RawHttp.Response response = client.send("GET /one-big HTTP/1.1\r\nHost: a\r\nConnection: close\r\n"
                    + header("X-Big", 16 * KIB - 10) + "\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
        }
        assertThat(fixture.backend().received().get(before).header("X-Big")).hasSize(16 * KIB - 10 - 7);
    }
}
