package io.fulcrum.endtoend;

import static io.fulcrum.endtoend.Groups.target;
import static io.fulcrum.testing.TestConfigs.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.health.ReasonCodes;
import io.fulcrum.health.TargetState;
import io.fulcrum.proxy.ErrorCode;
import io.fulcrum.proxy.LiveTarget;
import io.fulcrum.proxy.ProxyCounters;
import io.fulcrum.testing.RawHttp;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Target health through a running Fulcrum: stopped and restarted backends, fail open, and each algorithm's split. */
class TargetHealthEndToEndTest {
    @BeforeAll
    static void fastBackends() {
        RawHttp.noDelayBackends();
    }

    static void awaitState(RunningFulcrum fulcrum, String address, TargetState state) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(target(fulcrum, address).health().state()).as(address).isEqualTo(state));
    }

    static long errors(ProxyCounters counters) {
        return Arrays.stream(ErrorCode.values()).mapToLong(counters::errors).sum();
    }

    @Test
    void stoppedBackendTurnsUnhealthyAndTheOtherTakesEveryRequestThenItComesBackOnTheSamePort() throws Exception {
        TestBackend a = new TestBackend("a");
        String addressA = a.address();
        int portA = a.port();
        try (TestBackend b = new TestBackend("b");
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort())
                     .targets(addressA, b.address()))) {
            int port = fulcrum.port();
            awaitState(fulcrum, addressA, TargetState.HEALTHY);
            awaitState(fulcrum, b.address(), TargetState.HEALTHY);
            assertThat(RawHttp.count(port, "/", 4)).containsOnlyKeys("a", "b");

            a.close();
            awaitState(fulcrum, addressA, TargetState.UNHEALTHY);
            LiveTarget stopped = target(fulcrum, addressA);
            assertThat(stopped.health().reason()).isEqualTo(ReasonCodes.FAILED_HEALTH_CHECKS);
            assertThat(fulcrum.server().targetGroup("web").routable()).extracting(LiveTarget::key)
                    .containsExactly(b.address());

            long errorsBefore = errors(fulcrum.server().counters());
            long retriesBefore = fulcrum.server().counters().retries();
            for (int i = 0; i < 20; i++) {
                RawHttp.Response response = RawHttp.get(port, "/after-" + i);
                assertThat(response.status()).as("request %d", i).isEqualTo(200);
                assertThat(response.body()).isEqualTo("b");
            }
            assertThat(errors(fulcrum.server().counters())).as("balancer errors after it noticed").isEqualTo(errorsBefore);
            assertThat(fulcrum.server().counters().retries()).as("no connect to the stopped target").isEqualTo(retriesBefore);

            try (TestBackend again = new TestBackend("a", portA)) {
                awaitState(fulcrum, addressA, TargetState.HEALTHY);
                assertThat(target(fulcrum, addressA)).as("the same registered target").isSameAs(stopped);
                assertThat(RawHttp.count(port, "/", 10)).containsOnly(Map.entry("a", 5), Map.entry("b", 5));
                assertThat(again.requestCount()).isEqualTo(5);
            }
        } finally {
            a.close();
        }
    }

    @Test
    void failsOpenWhenNoTargetIsHealthy() throws Exception {
        try (TestBackend a = new TestBackend("a"); TestBackend b = new TestBackend("b");
             LogCapture log = new LogCapture();
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort())
                     .targets(a.address(), b.address()))) {
            awaitState(fulcrum, a.address(), TargetState.HEALTHY);
            awaitState(fulcrum, b.address(), TargetState.HEALTHY);
            assertThat(fulcrum.server().targetGroup("web").failingOpen()).isFalse();
            log.clear();

            a.healthStatus(500);
            b.healthStatus(500);
            awaitState(fulcrum, a.address(), TargetState.UNHEALTHY);
            awaitState(fulcrum, b.address(), TargetState.UNHEALTHY);
            assertThat(target(fulcrum, a.address()).health().reason()).isEqualTo(ReasonCodes.RESPONSE_CODE_MISMATCH);
            assertThat(fulcrum.server().targetGroup("web").failingOpen()).isTrue();
            await().untilAsserted(() -> assertThat(log.messages())
                    .anySatisfy(m -> assertThat(m).contains("Target group web").contains("fail open")));

            assertThat(RawHttp.count(fulcrum.port(), "/", 10)).as("both still serve")
                    .containsOnly(Map.entry("a", 5), Map.entry("b", 5));
        }
    }

    @Test
    void roundRobinSplitsEvenly() throws Exception {
        try (TestBackend a = new TestBackend("a"); TestBackend b = new TestBackend("b");
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort())
                     .targets(a.address(), b.address()).attributes("{algorithm: round_robin}"))) {
            awaitState(fulcrum, a.address(), TargetState.HEALTHY);
            awaitState(fulcrum, b.address(), TargetState.HEALTHY);
            assertThat(RawHttp.count(fulcrum.port(), "/", 100)).containsOnly(Map.entry("a", 50), Map.entry("b", 50));
        }
    }

    @Test
    void targetWeightsOneAndThreeSplitOneToThree() throws Exception {
        try (TestBackend a = new TestBackend("a"); TestBackend b = new TestBackend("b");
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort())
                     .attributes("{algorithm: round_robin}")
                     .targetItems("{id: 127.0.0.1, port: " + a.port() + ", weight: 1}",
                             "{id: 127.0.0.1, port: " + b.port() + ", weight: 3}"))) {
            awaitState(fulcrum, a.address(), TargetState.HEALTHY);
            awaitState(fulcrum, b.address(), TargetState.HEALTHY);
            Map<String, Integer> counts = RawHttp.count(fulcrum.port(), "/", 200);
            // weighted round robin is deterministic with low discrepancy: within a few picks of 50:150
            assertThat(counts.get("a")).isBetween(45, 55);
            assertThat(counts.get("b")).isBetween(145, 155);
        }
    }

    @Test
    void weightedRandomRespectsTargetWeights() throws Exception {
        try (TestBackend a = new TestBackend("a"); TestBackend b = new TestBackend("b");
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort())
                     .attributes("{algorithm: weighted_random}")
                     .targetItems("{id: 127.0.0.1, port: " + a.port() + ", weight: 1}",
                             "{id: 127.0.0.1, port: " + b.port() + ", weight: 3}"))) {
            awaitState(fulcrum, a.address(), TargetState.HEALTHY);
            awaitState(fulcrum, b.address(), TargetState.HEALTHY);
            int n = 200;
            Map<String, Integer> counts = RawHttp.count(fulcrum.port(), "/", n);
            double sd = Math.sqrt(n * 0.25 * 0.75); // binomial; 5 stddev: a false alarm below one in a million
            assertThat((double) counts.getOrDefault("a", 0)).isBetween(50 - 5 * sd, 50 + 5 * sd);
        }
    }

    @Test
    void leastOutstandingRequestsAvoidsTheTargetWithASlowRequestInFlight() throws Exception {
        try (GatedBackend a = new GatedBackend("a"); GatedBackend b = new GatedBackend("b");
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort())
                     .targets(a.address(), b.address()).attributes("{algorithm: least_outstanding_requests}"))) {
            awaitState(fulcrum, a.address(), TargetState.HEALTHY);
            awaitState(fulcrum, b.address(), TargetState.HEALTHY);
            int port = fulcrum.port();
            CompletableFuture<RawHttp.Response> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return RawHttp.get(port, "/hold");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            await().until(() -> a.held() + b.held() == 1);
            GatedBackend busy = a.held() == 1 ? a : b;
            GatedBackend free = busy == a ? b : a;
            assertThat(target(fulcrum, busy.address()).outstandingRequests()).isEqualTo(1);

            assertThat(RawHttp.count(port, "/", 10)).containsOnly(Map.entry(free.id(), 10));
            assertThat(slow).isNotDone();

            a.release();
            b.release();
            assertThat(slow.get().body()).isEqualTo(busy.id());
            await().until(() -> target(fulcrum, busy.address()).outstandingRequests() == 0);
            assertThat(RawHttp.count(port, "/", 10).keySet()).containsOnly("a", "b");
        }
    }
}
