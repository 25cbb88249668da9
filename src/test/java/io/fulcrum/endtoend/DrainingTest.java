package io.fulcrum.endtoend;

import static io.fulcrum.endtoend.Groups.target;
import static io.fulcrum.testing.TestConfigs.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.health.ReasonCodes;
import io.fulcrum.health.TargetState;
import io.fulcrum.proxy.LiveTarget;
import io.fulcrum.testing.RawHttp;
import io.fulcrum.testing.RunningFulcrum;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A target removed by a reload finishes the request it is serving, gets no new ones, and is then closed. */
class DrainingTest {
    private static final String DELAY = "{deregistrationDelay: 5s}";

    @Test
    void removedTargetFinishesItsLongRequestWhileNewRequestsGoToTheOther() throws Exception {
        RawHttp.noDelayBackends();
        try (GatedBackend one = new GatedBackend("one"); GatedBackend two = new GatedBackend("two");
             LogCapture log = new LogCapture();
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort())
                     .targets(one.address(), two.address()).attributes(DELAY))) {
            int port = fulcrum.port();
            await().atMost(Duration.ofSeconds(15)).until(() -> fulcrum.server().targetGroup("web").targets().stream()
                    .allMatch(t -> t.health().state() == TargetState.HEALTHY));

            CompletableFuture<RawHttp.Response> longRequest = CompletableFuture.supplyAsync(() -> {
                try {
                    return RawHttp.get(port, "/hold");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            await().until(() -> one.held() + two.held() == 1);
            GatedBackend a = one.held() == 1 ? one : two;
            GatedBackend b = a == one ? two : one;
            LiveTarget targetA = target(fulcrum, a.address());
            assertThat(targetA.outstandingRequests()).isEqualTo(1);

            fulcrum.apply(web(port).targets(b.address()).attributes(DELAY));

            assertThat(targetA.health().state()).isEqualTo(TargetState.DRAINING);
            assertThat(targetA.health().reason()).isEqualTo(ReasonCodes.DEREGISTRATION_IN_PROGRESS);
            assertThat(target(fulcrum, a.address())).as("no longer registered").isNull();
            assertThat(target(fulcrum, b.address()).health().state()).as("kept across the reload")
                    .isEqualTo(TargetState.HEALTHY);
            assertThat(RawHttp.count(port, "/new", 10)).containsOnly(Map.entry(b.id(), 10));
            assertThat(a.requestCount()).as("only the long request").isEqualTo(1);
            assertThat(longRequest).isNotDone();
            assertThat(targetA.health().state()).as("still draining while the request runs")
                    .isEqualTo(TargetState.DRAINING);
            assertThat(log.messages()).noneSatisfy(m -> assertThat(m).contains(a.address() + " in target group web: deregistered"));

            a.release();
            RawHttp.Response response = longRequest.get();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(a.id());
            await().untilAsserted(() -> assertThat(log.messages()).contains(
                    "Target " + a.address() + " in target group web: deregistered (0 requests cut at the deadline)"));
            assertThat(targetA.outstandingRequests()).isZero();
            assertThat(fulcrum.server().targetGroup("web").targets()).extracting(LiveTarget::key)
                    .containsExactly(b.address());
            assertThat(RawHttp.count(port, "/after", 4)).containsOnly(Map.entry(b.id(), 4));
        }
    }
}
