package io.fulcrum.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.testing.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Paths are normalised before rules see them, and the target gets the path that was matched: with a
 * rule {@code path-pattern /admin*} answering 403 in front of a default forward, no spelling of
 * {@code /admin} slips through to the target, and a path that climbs above the root is refused.
 */
class PathNormalizationProxyTest {
    private static RejectionFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = RejectionFixture.start("""
                          - priority: 1
                            conditions: [{field: path-pattern, values: ["/admin*"]}]
                            actions: [{type: fixed-response, fixedResponseConfig: {statusCode: 403, contentType: text/plain, messageBody: admin only}}]
                """, "");
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/admin", "/admin/users", "/api/../admin", "/api/%2e%2e/admin", "/api/%2E%2E/admin", "/api/%2e%2E/admin",
        "/%61dmin", "/%61%64%6D%69%6E", "/./admin", "/api/./../admin", "/api/..%2fadmin", "/api/%2e%2e%2Fadmin",
        "/a/b/../../admin", "/api/../admin?x=1",
    })
    void everySpellingOfAdminIsCaughtByTheAdminRule(String path) throws Exception {
        int forwardedBefore = fixture.backend().requestCount();
        long errorsBefore = fixture.counters().errors(ErrorCode.BAD_REQUEST);
        try (RawHttp client = new RawHttp(fixture.port())) {
            RawHttp.Response response = client.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(response.status()).as("answer to %s", path).isEqualTo(403);
            assertThat(response.body()).isEqualTo("admin only");
            // a fixed response keeps the connection: the next request on it is served (and also routed)
            RawHttp.Response next = client.send("GET /still-open HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                    .read();
            assertThat(next.status()).isEqualTo(200);
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(fixture.counters().errors(ErrorCode.BAD_REQUEST)).as("a routed 403 is no error").isEqualTo(errorsBefore);
        assertThat(fixture.backend().received().subList(forwardedBefore, fixture.backend().requestCount()))
                .extracting(r -> r.uri()).as("what reached the target").containsExactly("/still-open");
        fixture.assertNothingForwardedSince(forwardedBefore + 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/../etc/passwd", "/..", "/a/../../etc/passwd", "/%2e%2e/etc/passwd", "/%2E%2E/etc/passwd",
        "/..%2fetc/passwd", "/a/%2e%2e/%2e%2e/etc/passwd", "/api/../../admin",
    })
    void aPathAboveTheRootIs400(String path) throws Exception {
        fixture.assertRejected("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n", ErrorCode.BAD_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%zzb", "/a%2", "/a%", "*", "http://a/admin"})
    void anInvalidRequestTargetIs400(String target) throws Exception {
        fixture.assertRejected("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n", ErrorCode.BAD_REQUEST);
    }

    @ParameterizedTest(name = "{0} is forwarded as {1}")
    @CsvSource({
        "/a/./b, /a/b",
        "/a/./b?x=1, /a/b?x=1",
        "/api/%2e%2e/public, /public",
        "/api/../public/., /public/",
        "/a%2Fb, /a/b",
        "/%7Euser, /~user",
        "/a/b%3f, /a/b%3F",
        "/plain/path?q=%2e%2e, /plain/path?q=%2e%2e",
    })
    void normalPathsAreForwardedNormalised(String sent, String forwarded) throws Exception {
        int before = fixture.backend().requestCount();
        try (RawHttp client = new RawHttp(fixture.port())) {
            RawHttp.Response response = client.send("GET " + sent + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                    .read();
            assertThat(response.status()).isEqualTo(200);
        }
        assertThat(fixture.backend().received().subList(before, fixture.backend().requestCount()))
                .extracting(r -> r.uri()).containsExactly(forwarded);
    }
}
