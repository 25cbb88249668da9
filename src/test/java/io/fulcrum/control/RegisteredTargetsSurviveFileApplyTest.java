package io.fulcrum.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.config.ConfigLoader;
import io.fulcrum.model.Target;
import io.fulcrum.proxy.ListenerBindException;
import io.fulcrum.proxy.LiveTarget;
import io.fulcrum.proxy.Transport;
import io.fulcrum.server.FulcrumServer;
import io.fulcrum.server.ServerTargetRegistry;
import io.fulcrum.store.MemoryStore;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Targets an auto scaling group registered (through the server's target registry, beside the
 * configured ones) belong to the group: a file apply that rewrites the group's configured targets
 * leaves them registered, with their health.
 */
class RegisteredTargetsSurviveFileApplyTest {
    private static String file(String target) {
        return """
                targetGroups:
                  - name: web
                    targets: [%s]
                    healthCheck: {enabled: false, interval: 300s}
                """.formatted(target);
    }

    @Test
    void aFileApplyNeverRemovesATargetTheGroupRegistered() throws Exception {
        FulcrumServer server = new FulcrumServer(Transport.best(), 1, new byte[32], Clock.systemUTC());
        try {
            ControlPlane plane = new ControlPlane(new MemoryStore(Clock.systemUTC(), 10), (config, revision) -> {
                try {
                    server.apply(config, revision);
                } catch (ListenerBindException e) {
                    throw new ApplyException(e.getMessage(), e);
                }
            });
            plane.applyFile(ConfigLoader.parse(file("\"127.0.0.1:9001\"")), "start");
            new ServerTargetRegistry(server).register("web", new Target("127.0.0.1", 20001, 1)); // as auto scaling does
            LiveTarget registered = find(server, "127.0.0.1:20001");

            plane.applyFile(ConfigLoader.parse(file("\"127.0.0.1:9002\"")), "file edit");

            assertThat(server.targetGroup("web").targets()).extracting(LiveTarget::key)
                    .containsExactlyInAnyOrder("127.0.0.1:9002", "127.0.0.1:20001");
            assertThat(find(server, "127.0.0.1:20001")).as("the same live target, health kept").isSameAs(registered);
            assertThat(server.revision()).isEqualTo(2);

            plane.applyFile(ConfigLoader.parse(file("")), "file lists no target");
            assertThat(server.targetGroup("web").targets()).extracting(LiveTarget::key)
                    .containsExactly("127.0.0.1:20001");
            assertThat(plane.current().config().targetGroup("web").targets())
                    .as("registered targets are not part of the stored document").isEmpty();
        } finally {
            server.stop(Duration.ZERO);
        }
    }

    private static LiveTarget find(FulcrumServer server, String key) {
        return server.targetGroup("web").targets().stream().filter(t -> t.key().equals(key)).findFirst().orElseThrow();
    }
}
