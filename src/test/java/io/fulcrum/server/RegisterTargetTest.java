package io.fulcrum.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fulcrum.health.TargetState;
import io.fulcrum.model.Target;
import io.fulcrum.proxy.LiveTarget;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Targets registered at run time (as auto scaling does) serve beside the config's, survive reloads, and drain. */
class RegisterTargetTest {
    private static String config(int port, TestBackend backend) {
        return """
                loadBalancers:
                  - name: web
                    listeners:
                      - {port: %d, bindAddress: 127.0.0.1, defaultActions: [{type: forward, targetGroupName: web}]}
                targetGroups:
                  - name: web
                    targets: ["%s"]
                    healthCheck: {path: /health, interval: 200ms, timeout: 100ms, healthyThreshold: 2}
                    attributes: {deregistrationDelay: 1s}
                """.formatted(port, backend.address());
    }

    @Test
    void aRegisteredTargetServesSurvivesAReloadAndDrainsWhenDeregistered() throws Exception {
        try (TestBackend a = new TestBackend("a"); TestBackend b = new TestBackend("b")) {
            int port = RunningFulcrum.freePort();
            try (RunningFulcrum fulcrum = RunningFulcrum.start(config(port, a))) {
                fulcrum.server().registerTarget("web", new Target("127.0.0.1", b.port(), 1));
                await().until(() -> fulcrum.server().targetGroup("web").targets().stream()
                        .allMatch(t -> t.health().state() == TargetState.HEALTHY)
                        && fulcrum.server().targetGroup("web").targets().size() == 2);
                assertThat(answers(port, 6)).containsExactlyInAnyOrder("a", "b");

                fulcrum.apply(config(port, a)); // a reload of the file keeps run-time registrations
                assertThat(fulcrum.server().targetGroup("web").targets()).hasSize(2);

                LiveTarget registered = fulcrum.server().targetGroup("web").targets().stream()
                        .filter(t -> t.address().getPort() == b.port()).findFirst().orElseThrow();
                fulcrum.server().deregisterTarget("web", "127.0.0.1:" + b.port());
                assertThat(registered.health().state()).isEqualTo(TargetState.DRAINING);
                assertThat(answers(port, 4)).containsExactly("a");
            }
        }
    }

    @Test
    void registeringInAnUnknownGroupIsRefused() throws Exception {
        try (TestBackend a = new TestBackend("a");
             RunningFulcrum fulcrum = RunningFulcrum.start(config(RunningFulcrum.freePort(), a))) {
            assertThatThrownBy(() -> fulcrum.server().registerTarget("nope", new Target("127.0.0.1", 1, 1)))
                    .hasMessageContaining("targetGroupName: nope");
        }
    }

    private static Set<String> answers(int port, int count) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            seen.add(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        }
        return seen;
    }
}
