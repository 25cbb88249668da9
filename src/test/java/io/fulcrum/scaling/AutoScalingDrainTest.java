package io.fulcrum.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.health.TargetState;
import io.fulcrum.model.HealthCheckType;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An instance is deregistered and drained before it is stopped: a request in flight finishes. */
class AutoScalingDrainTest {
    @TempDir
    Path dir;

    @Test
    void inFlightRequestFinishesBeforeTheInstanceIsTerminated() throws Exception {
        try (GroupFixture f = GroupFixture.start(dir, GroupFixture.spec(0, 1, 1, HealthCheckType.EC2, Duration.ZERO),
                "{deregistrationDelay: 30s}")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 1
                    && f.fulcrum.server().targetGroup("web").targets().stream()
                    .allMatch(t -> t.health().state() == TargetState.HEALTHY));
            InstanceDescription instance = f.inService().get(0);
            CompletableFuture<HttpResponse<String>> slow = f.client.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + f.fulcrum.port() + "/?delay=1500")).build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(5)).until(() -> f.fulcrum.server().targetGroup("web").targets().stream()
                    .anyMatch(t -> t.outstandingRequests() == 1));

            f.group.setDesiredCapacity(0);
            await().atMost(Duration.ofSeconds(5)).until(() -> f.group.instances().stream()
                    .anyMatch(i -> i.lifecycleState() == LifecycleState.TERMINATING));
            assertThat(slow.get().statusCode()).isEqualTo(200);
            assertThat(slow.get().body()).startsWith("Hello from " + instance.instanceId());
            await().atMost(Duration.ofSeconds(20)).until(() -> f.group.instances().isEmpty());
            ScalingActivity termination = f.group.activities().get(0);
            assertThat(termination.description()).isEqualTo("Terminating EC2 instance: " + instance.instanceId());
            assertThat(termination.status()).isEqualTo(ActivityStatus.SUCCESSFUL);
        }
    }
}
