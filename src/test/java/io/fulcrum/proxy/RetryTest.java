package io.fulcrum.proxy;

import static io.fulcrum.testing.TestConfigs.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.health.TargetState;
import io.fulcrum.testing.RawHttp;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Retries only where they are safe: failed connects, stale pooled connections, and idempotent GETs. */
class RetryTest {

    @Test
    void failedConnectsAreRetriedOnTheLiveTargetBeforeHealthChecksNotice() throws Exception {
        String closed = "127.0.0.1:" + RunningFulcrum.freePort();
        try (TestBackend live = new TestBackend("live");
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort())
                     .targets(closed, live.address())
                     .healthCheck("{path: /health, interval: 300s, timeout: 5s, healthyThreshold: 2, unhealthyThreshold: 2}"))) {
            // one probe each (at once), then nothing for 300 s: both stay initial, so the group fails open
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                RawHttp.Response response = RawHttp.exchange(fulcrum.port(), RawHttp.getRequest("/item/" + i));
                assertThat(response.status()).as("request %d", i).isEqualTo(200);
                bodies.add(response.body());
            }

            assertThat(bodies).containsOnly("live");
            assertThat(live.requestCount()).isEqualTo(8);
            assertThat(fulcrum.server().counters().retries()).isPositive();
            assertThat(fulcrum.server().counters().errors(ErrorCode.BAD_GATEWAY)).isZero();
            LiveTargetGroup group = fulcrum.server().targetGroup("web");
            assertThat(group.failingOpen()).isTrue();
            assertThat(group.targets()).allSatisfy(t -> assertThat(t.health().state()).isEqualTo(TargetState.INITIAL));
        }
    }

    @Test
    void getClosedOnBeforeAnyResponseByteIsRetriedOnceOnTheOtherTarget() throws Exception {
        try (ScriptedBackend closing = new ScriptedBackend(ScriptedBackend.Behaviour.CLOSE_AFTER_REQUEST);
             TestBackend live = new TestBackend("live");
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort())
                     .targets(closing.address(), live.address()).checksOff()
                     .attributes("{passiveUnhealthyThreshold: 100}"))) {
            fulcrum.awaitAllHealthy("web");
            for (int i = 0; i < 6; i++) {
                RawHttp.Response response = RawHttp.exchange(fulcrum.port(), RawHttp.getRequest("/read/" + i));
                assertThat(response.status()).as("request %d", i).isEqualTo(200);
                assertThat(response.body()).isEqualTo("live");
            }

            assertThat(closing.requestCount()).as("round robin sends some GETs to the closing target").isPositive();
            assertThat(closing.requestHeads()).allSatisfy(head -> assertThat(head).startsWith("GET /read/"));
            assertThat(live.requestCount()).isEqualTo(6);
            assertThat(fulcrum.server().counters().retries()).isEqualTo(closing.requestCount());
            assertThat(fulcrum.server().counters().errors(ErrorCode.BAD_GATEWAY)).isZero();
        }
    }

    @Test
    void postClosedOnBeforeAnyResponseByteIs502AndNeverReplayed() throws Exception {
        try (ScriptedBackend closing = new ScriptedBackend(ScriptedBackend.Behaviour.CLOSE_AFTER_REQUEST);
             TestBackend live = new TestBackend("live");
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort())
                     .targets(closing.address(), live.address()).checksOff()
                     .attributes("{passiveUnhealthyThreshold: 100}"))) {
            fulcrum.awaitAllHealthy("web");
            int badGateways = 0;
            int oks = 0;
            for (int i = 0; i < 6; i++) {
                RawHttp.Response response = RawHttp.exchange(fulcrum.port(), RawHttp.postRequest("/write", "n=" + i));
                assertThat(response.status()).as("request %d", i).isIn(200, 502);
                if (response.status() == 502) {
                    badGateways++;
                } else {
                    oks++;
                }
            }

            assertThat(badGateways).isPositive();
            assertThat(closing.requestCount()).as("each failed POST reached the closing target exactly once")
                    .isEqualTo(badGateways);
            assertThat(live.requestCount()).as("no failed POST was replayed on the live target").isEqualTo(oks);
            assertThat(fulcrum.server().counters().retries()).isZero();
            assertThat(fulcrum.server().counters().errors(ErrorCode.BAD_GATEWAY)).isEqualTo(badGateways);
        }
    }

    @Test
    void pooledConnectionClosedByTheTargetWhileIdleIsReplacedTransparently() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend(ScriptedBackend.Behaviour.OK_THEN_CLOSE_WHEN_IDLE);
             RunningFulcrum fulcrum = RunningFulcrum.start(
                     web(RunningFulcrum.freePort()).targets(backend.address()).checksOff());
             Socket client = RawHttp.connect(fulcrum.port())) {
            InputStream in = client.getInputStream();
            for (int i = 0; i < 5; i++) {
                RawHttp.write(client, RawHttp.getRequest("/again/" + i));
                RawHttp.Response response = RawHttp.read(in);
                assertThat(response.status()).as("request %d", i).isEqualTo(200);
                assertThat(response.body()).isEqualTo("ok");
                int closedSoFar = i + 1;
                // the target drops the pooled connection after 50 ms idle; only then send the next request
                await().atMost(Duration.ofSeconds(10)).until(() -> backend.closedIdleCount() == closedSoFar);
            }

            assertThat(backend.requestCount()).isEqualTo(5);
            assertThat(backend.connectionCount()).as("a fresh target connection for each request").isEqualTo(5);
            assertThat(fulcrum.server().counters().errors(ErrorCode.BAD_GATEWAY)).isZero();
        }
    }

    @Test
    void targetClosingRightAfterEachResponseNeverCostsAClientAnError() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend(ScriptedBackend.Behaviour.OK_THEN_CLOSE_AT_ONCE);
             RunningFulcrum fulcrum = RunningFulcrum.start(
                     web(RunningFulcrum.freePort()).targets(backend.address()).checksOff()
                             .attributes("{passiveUnhealthyThreshold: 100}"));
             Socket client = RawHttp.connect(fulcrum.port())) {
            InputStream in = client.getInputStream();
            for (int i = 0; i < 30; i++) {
                RawHttp.write(client, RawHttp.getRequest("/burst/" + i));
                RawHttp.Response response = RawHttp.read(in);
                assertThat(response.status()).as("request %d", i).isEqualTo(200);
            }

            assertThat(fulcrum.server().counters().errors(ErrorCode.BAD_GATEWAY)).isZero();
        }
    }
}
