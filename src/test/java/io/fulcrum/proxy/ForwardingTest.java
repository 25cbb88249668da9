package io.fulcrum.proxy;

import static io.fulcrum.testing.TestConfigs.web;
import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardingTest {
    @Test
    void forwardsAndAlternatesBetweenTwoBackends() throws Exception {
        try (TestBackend a = new TestBackend("a"); TestBackend b = new TestBackend("b");
             RunningFulcrum fulcrum = RunningFulcrum.start(
                     web(RunningFulcrum.freePort()).targets(a.address(), b.address()))) {
            HttpClient client = HttpClient.newHttpClient();
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + fulcrum.port() + "/hello?x=1")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                answers.add(response.body());
            }
            assertThat(answers).containsOnly("a", "b").contains("a", "b");
            TestBackend.Received seen = a.received().get(0);
            assertThat(seen.uri()).isEqualTo("/hello?x=1");
            assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
            assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
            assertThat(seen.header("X-Forwarded-Port")).isEqualTo(String.valueOf(fulcrum.port()));
            assertThat(seen.header("X-Fulcrum-Request-Id")).hasSize(32);
        }
    }
}
