package io.fulcrum.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import io.fulcrum.testing.TestConfigs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** maxConnectionsPerTarget with a bounded queue, as HAProxy's maxconn: a full queue answers 503. */
class TargetQueueTest {
    /** One target taking one connection at a time, with a queue of {@code maxQueue} in front of it. */
    private static TestConfigs.Web config(int port, TestBackend backend, int maxQueue, String queueTimeout) {
        return TestConfigs.web(port).targets(backend.address()).checksOff().attributes(
                "{maxConnectionsPerTarget: 1, maxQueue: %d, queueTimeout: %s}".formatted(maxQueue, queueTimeout));
    }

    @Test
    void queuesUpToMaxQueueThenAnswers503() throws Exception {
        try (TestBackend backend = new TestBackend("only");
             RunningFulcrum fulcrum = RunningFulcrum.start(config(RunningFulcrum.freePort(), backend, 1, "10s"))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI slow = URI.create("http://127.0.0.1:" + fulcrum.port() + "/?sleep=1000");
            CompletableFuture<HttpResponse<String>> first = client.sendAsync(HttpRequest.newBuilder(slow).build(),
                    HttpResponse.BodyHandlers.ofString());
            org.awaitility.Awaitility.await().until(() -> backend.requestCount() == 1);
            CompletableFuture<HttpResponse<String>> queued = client.sendAsync(HttpRequest.newBuilder(slow).build(),
                    HttpResponse.BodyHandlers.ofString());
            org.awaitility.Awaitility.await().until(() ->
                    fulcrum.server().targetGroup("web").queue().size() == 1);
            HttpResponse<String> rejected = client.send(HttpRequest.newBuilder(slow).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(rejected.statusCode()).isEqualTo(503);
            List<Integer> statuses = new ArrayList<>();
            statuses.add(first.get().statusCode());
            statuses.add(queued.get().statusCode());
            assertThat(statuses).containsExactly(200, 200);
            assertThat(backend.requestCount()).isEqualTo(2);
            assertThat(fulcrum.server().counters().errors(ErrorCode.SERVICE_UNAVAILABLE)).isEqualTo(1);
        }
    }

    @Test
    void aQueuedRequestThatWaitsTooLongIsAnswered503() throws Exception {
        try (TestBackend backend = new TestBackend("only");
             RunningFulcrum fulcrum = RunningFulcrum.start(config(RunningFulcrum.freePort(), backend, 5, "200ms"))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI slow = URI.create("http://127.0.0.1:" + fulcrum.port() + "/?sleep=1500");
            CompletableFuture<HttpResponse<String>> first = client.sendAsync(HttpRequest.newBuilder(slow).build(),
                    HttpResponse.BodyHandlers.ofString());
            org.awaitility.Awaitility.await().until(() -> backend.requestCount() == 1);
            HttpResponse<String> timedOut = client.send(HttpRequest.newBuilder(slow).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(timedOut.statusCode()).isEqualTo(503);
            assertThat(first.get().statusCode()).isEqualTo(200);
            assertThat(backend.requestCount()).isEqualTo(1);
            assertThat(fulcrum.server().targetGroup("web").queue().size()).isZero();
        }
    }
}
