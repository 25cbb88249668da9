package io.fulcrum.endtoend;

import static io.fulcrum.endtoend.Groups.target;
import static io.fulcrum.testing.TestConfigs.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.health.TargetState;
import io.fulcrum.testing.RawHttp;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Target stickiness ({@code lb_cookie}): the FULCRUMLB cookie pins a client, cannot be forged, and moves off a sick target. */
class StickinessTest {
    private static final String COOKIE = "FULCRUMLB";

    private TestBackend a;
    private TestBackend b;
    private RunningFulcrum fulcrum;
    private int port;

    @BeforeEach
    void start() throws Exception {
        RawHttp.noDelayBackends();
        a = new TestBackend("a");
        b = new TestBackend("b");
        fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort()).targets(a.address(), b.address())
                .attributes("{stickiness: {enabled: true, duration: 1h}}"));
        port = fulcrum.port();
        awaitState(a, TargetState.HEALTHY);
        awaitState(b, TargetState.HEALTHY);
    }

    @AfterEach
    void stop() {
        if (fulcrum != null) {
            fulcrum.close();
        }
        a.close();
        b.close();
    }

    private void awaitState(TestBackend backend, TargetState state) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(target(fulcrum, backend.address()).health().state()).isEqualTo(state));
    }

    private TestBackend backend(String id) {
        return id.equals("a") ? a : b;
    }

    @Test
    void responsesSetTheCookieAndAClientSendingItBackAlwaysHitsTheSameTarget() throws Exception {
        assertThat(RawHttp.count(port, "/", 10)).as("without the cookie: round robin")
                .containsOnly(Map.entry("a", 5), Map.entry("b", 5));

        RawHttp.Response first = RawHttp.get(port, "/");
        String cookie = first.setCookie(COOKIE);
        assertThat(cookie).isNotBlank();
        assertThat(first.headers("Set-Cookie")).anySatisfy(h -> assertThat(h)
                .startsWith(COOKIE + "=").contains("Max-Age=3600").contains("Path=/"));
        assertThat(RawHttp.count(port, "/", 20, "Cookie: other=1; " + COOKIE + "=" + cookie))
                .containsOnly(Map.entry(first.body(), 20));
    }

    @Test
    void aForgedOrTamperedCookieIsIgnoredAndTheClientIsPinnedAfresh() throws Exception {
        String valid = RawHttp.get(port, "/").setCookie(COOKIE);
        char[] chars = valid.toCharArray();
        int middle = chars.length / 2;
        chars[middle] = chars[middle] == 'A' ? 'B' : 'A';
        String tampered = new String(chars);
        for (String bad : new String[] {"forged", tampered, "127.0.0.1:" + a.port()}) {
            Set<String> answered = new HashSet<>();
            String fresh = null;
            for (int i = 0; i < 6; i++) {
                RawHttp.Response response = RawHttp.get(port, "/", "Cookie: " + COOKIE + "=" + bad);
                assertThat(response.status()).isEqualTo(200);
                answered.add(response.body());
                fresh = response.setCookie(COOKIE);
                assertThat(fresh).as("a new cookie instead of %s", bad).isNotNull().isNotEqualTo(bad);
            }
            assertThat(answered).as("not pinned by %s", bad).containsExactlyInAnyOrder("a", "b");
            RawHttp.Response repinned = RawHttp.get(port, "/", "Cookie: " + COOKIE + "=" + fresh);
            assertThat(RawHttp.count(port, "/", 6, "Cookie: " + COOKIE + "=" + repinned.setCookie(COOKIE)))
                    .containsOnly(Map.entry(repinned.body(), 6));
        }
    }

    @Test
    void aClientPinnedToATargetThatTurnsUnhealthyIsRepinnedToTheOther() throws Exception {
        RawHttp.Response first = RawHttp.get(port, "/");
        String cookie = first.setCookie(COOKIE);
        TestBackend pinned = backend(first.body());
        TestBackend other = pinned == a ? b : a;

        pinned.healthStatus(500);
        awaitState(pinned, TargetState.UNHEALTHY);
        RawHttp.Response moved = RawHttp.get(port, "/", "Cookie: " + COOKIE + "=" + cookie);
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.body()).isEqualTo(other.id());
        String repinned = moved.setCookie(COOKIE);
        assertThat(repinned).isNotNull().isNotEqualTo(cookie);

        pinned.healthStatus(200);
        awaitState(pinned, TargetState.HEALTHY);
        assertThat(RawHttp.count(port, "/", 10, "Cookie: " + COOKIE + "=" + repinned))
                .as("the new cookie pins to the other target, also once the first is healthy again")
                .containsOnly(Map.entry(other.id(), 10));
        assertThat(RawHttp.count(port, "/", 4, "Cookie: " + COOKIE + "=" + cookie))
                .as("the old cookie still names the first target").containsOnly(Map.entry(pinned.id(), 4));
    }
}
