package io.fulcrum.proxy;

import static io.fulcrum.testing.TestConfigs.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.health.TargetState;
import io.fulcrum.testing.RawHttp;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Passive health on real traffic: consecutive connect failures eject a healthy target (health checks
 * are off, so they cannot be what notices), and passive signals never eject more than half a group.
 */
class PassiveHealthProxyTest {
    private static final String PASSIVE_2 = "{passiveUnhealthyThreshold: 2}";

    @Test
    void targetRefusingConnectionsIsEjectedAfterThePassiveThreshold() throws Exception {
        String refusing = "127.0.0.1:" + RunningFulcrum.freePort();
        try (TestBackend a = new TestBackend("a"); TestBackend b = new TestBackend("b");
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort())
                     .targets(refusing, a.address(), b.address()).checksOff().attributes(PASSIVE_2))) {
            fulcrum.awaitAllHealthy("web");
            LiveTarget bad = target(fulcrum, refusing);

            await().atMost(Duration.ofSeconds(10)).until(() -> {
                RawHttp.Response response = RawHttp.exchange(fulcrum.port(), RawHttp.getRequest("/"));
                assertThat(response.status()).as("a refused connect is retried on another target").isEqualTo(200);
                return bad.health().state() == TargetState.UNHEALTHY;
            });

            assertThat(bad.health().reason()).isEqualTo("Target.FailedHealthChecks");
            assertThat(bad.health().description()).startsWith("Passive");
            assertThat(bad.health().status().passive()).isTrue();
            assertThat(fulcrum.server().targetGroup("web").routable()).extracting(LiveTarget::key)
                    .containsExactlyInAnyOrder(a.address(), b.address());
            long retries = fulcrum.server().counters().retries();
            assertThat(retries).as("it took exactly the threshold of failed connects").isEqualTo(2);

            for (int i = 0; i < 6; i++) {
                assertThat(RawHttp.exchange(fulcrum.port(), RawHttp.getRequest("/")).status()).isEqualTo(200);
            }
            assertThat(fulcrum.server().counters().retries()).as("the ejected target gets no more requests")
                    .isEqualTo(retries);
        }
    }

    @Test
    void passiveSignalsNeverEjectMoreThanHalfOfTheGroup() throws Exception {
        String refusingA = "127.0.0.1:" + RunningFulcrum.freePort();
        String refusingB = "127.0.0.1:" + RunningFulcrum.freePort();
        try (TestBackend live = new TestBackend("live");
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort())
                     .targets(refusingA, refusingB, live.address()).checksOff().attributes(PASSIVE_2))) {
            fulcrum.awaitAllHealthy("web");
            LiveTarget a = target(fulcrum, refusingA);
            LiveTarget b = target(fulcrum, refusingB);

            // until one is ejected and the other has failed at least the threshold times since then
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                int status = RawHttp.exchange(fulcrum.port(), RawHttp.getRequest("/")).status();
                assertThat(status).isIn(200, 502);
                boolean aOut = a.health().state() == TargetState.UNHEALTHY;
                boolean bOut = b.health().state() == TargetState.UNHEALTHY;
                return (aOut || bOut) && (aOut || a.health().passiveFailures() >= 2)
                        && (bOut || b.health().passiveFailures() >= 2);
            });
            for (int i = 0; i < 6; i++) {
                RawHttp.exchange(fulcrum.port(), RawHttp.getRequest("/"));
            }

            assertThat(List.of(a, b)).extracting(t -> t.health().state())
                    .containsExactlyInAnyOrder(TargetState.UNHEALTHY, TargetState.HEALTHY);
            assertThat(target(fulcrum, live.address()).health().state()).isEqualTo(TargetState.HEALTHY);
        }
    }

    private static LiveTarget target(RunningFulcrum fulcrum, String key) {
        return fulcrum.server().targetGroup("web").targets().stream()
                .filter(t -> t.key().equals(key)).findFirst().orElseThrow();
    }
}
