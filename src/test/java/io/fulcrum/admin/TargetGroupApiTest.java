package io.fulcrum.admin;

import static io.fulcrum.admin.StateApiTest.paths;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fulcrum.model.Target;
import io.fulcrum.testing.TestBackend;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Target groups, targets and target health. */
class TargetGroupApiTest {
    @TempDir
    Path dataDirectory;

    @Test
    void targetGroupsAreCreatedReadReplacedAndDeleted() throws Exception {
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, Configs.base())) {
            String body = "{\"name\": \"extra\", \"port\": 9000, \"healthCheck\": {\"path\": \"/health\"}}";
            AdminFixture.Response created = fulcrum.post("/v1/target-groups", body);
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.json().at("/healthCheck/path").asText()).isEqualTo("/health");
            assertThat(created.json().at("/healthCheck/interval").asText()).isEqualTo("30s");
            assertThat(fulcrum.post("/v1/target-groups", body).status()).isEqualTo(200);
            AdminFixture.Response duplicate = fulcrum.post("/v1/target-groups", "{\"name\": \"extra\", \"port\": 9001}");
            assertThat(duplicate.status()).isEqualTo(409);
            assertThat(duplicate.code()).isEqualTo("DuplicateTargetGroupName");
            assertThat(fulcrum.get("/v1/target-groups").json().get("targetGroups")).hasSize(4);

            AdminFixture.Response invalid = fulcrum.post("/v1/target-groups",
                    "{\"name\": \"other\", \"port\": 9000, \"healthCheck\": {\"interval\": \"1ms\"}}");
            assertThat(invalid.status()).isEqualTo(400);
            assertThat(paths(invalid)).contains("healthCheck.interval");

            fulcrum.post("/v1/target-groups/extra/targets/register", "{\"targets\": [{\"id\": \"127.0.0.1\", \"port\": 9100}]}");
            AdminFixture.Response replaced = fulcrum.put("/v1/target-groups/extra",
                    "{\"port\": 9000, \"healthCheck\": {\"interval\": \"10s\"}}");
            assertThat(replaced.status()).isEqualTo(200);
            assertThat(replaced.json().at("/healthCheck/interval").asText()).isEqualTo("10s");
            assertThat(replaced.json().at("/healthCheck/path").asText()).isEqualTo("/"); // replaced, not merged
            assertThat(replaced.json().get("targets")).hasSize(1); // targets stay unless the body lists them
            assertThat(fulcrum.get("/v1/target-groups/extra").json().at("/healthCheck/interval").asText()).isEqualTo("10s");

            assertThat(fulcrum.delete("/v1/target-groups/extra").status()).isEqualTo(204);
            for (AdminFixture.Response missing : new AdminFixture.Response[] {fulcrum.get("/v1/target-groups/extra"),
                    fulcrum.delete("/v1/target-groups/extra"), fulcrum.put("/v1/target-groups/extra", "{}"),
                    fulcrum.get("/v1/target-groups/extra/health"),
                    fulcrum.post("/v1/target-groups/extra/targets/register", "{\"targets\": [{\"id\": \"127.0.0.1\"}]}")}) {
                assertThat(missing.status()).isEqualTo(404);
                assertThat(missing.code()).isEqualTo("TargetGroupNotFound");
            }
        }
    }

    @Test
    void aTargetGroupInUseCannotBeDeleted() throws Exception {
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, Configs.base())) {
            AdminFixture.Response defaultAction = fulcrum.delete("/v1/target-groups/web");
            assertThat(defaultAction.status()).isEqualTo(409);
            assertThat(defaultAction.code()).isEqualTo("ResourceInUse");
            assertThat(defaultAction.json().at("/error/message").asText()).contains("listener lb/");
            AdminFixture.Response rule = fulcrum.delete("/v1/target-groups/api");
            assertThat(rule.status()).isEqualTo(409);
            assertThat(rule.json().at("/error/message").asText()).contains("rule lb/").contains("/10");
            assertThat(fulcrum.revision()).isEqualTo(1);
        }
    }

    @Test
    void registeredTargetsShowInHealthAndRegisteringTwiceIsOnce() throws Exception {
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, Configs.base());
             TestBackend backend = new TestBackend("b1")) {
            String targets = "{\"targets\": [{\"id\": \"127.0.0.1\", \"port\": %d}]}".formatted(backend.port());
            AdminFixture.Response registered = fulcrum.post("/v1/target-groups/web/targets/register", targets);
            assertThat(registered.status()).isEqualTo(200);
            assertThat(registered.json().get("targets")).hasSize(1);
            long revision = fulcrum.revision();
            assertThat(revision).isEqualTo(2);
            assertThat(fulcrum.post("/v1/target-groups/web/targets/register", targets).status()).isEqualTo(200);
            assertThat(fulcrum.revision()).isEqualTo(revision);
            assertThat(fulcrum.controlPlane.current().config().targetGroup("web").targets())
                    .containsExactly(new Target("127.0.0.1", backend.port(), 1));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode health = fulcrum.get("/v1/target-groups/web/health").json().get("targetHealthDescriptions");
                assertThat(health).hasSize(1);
                assertThat(health.get(0).at("/target/id").asText()).isEqualTo("127.0.0.1");
                assertThat(health.get(0).at("/target/port").asInt()).isEqualTo(backend.port());
                assertThat(health.get(0).get("healthCheckPort").asText()).isEqualTo(String.valueOf(backend.port()));
                assertThat(health.get(0).at("/targetHealth/state").asText()).isEqualTo("healthy");
                assertThat(health.get(0).get("targetHealth").has("reason")).isFalse();
            });

            // a weight given changes the registered target; the port defaults to the group's
            fulcrum.post("/v1/target-groups/web/targets/register",
                    "{\"targets\": [{\"id\": \"127.0.0.1\", \"port\": %d, \"weight\": 5}, {\"id\": \"127.0.0.2\"}]}"
                            .formatted(backend.port()));
            assertThat(fulcrum.controlPlane.current().config().targetGroup("web").targets()).containsExactly(
                    new Target("127.0.0.1", backend.port(), 5), new Target("127.0.0.2", 8080, 1));

            AdminFixture.Response deregistered = fulcrum.post("/v1/target-groups/web/targets/deregister",
                    "{\"targets\": [{\"id\": \"127.0.0.2\"}, {\"id\": \"127.0.0.9\", \"port\": 1234}]}");
            assertThat(deregistered.status()).isEqualTo(200);
            assertThat(deregistered.json().get("targets")).hasSize(1);
            long afterDeregister = fulcrum.revision();
            fulcrum.post("/v1/target-groups/web/targets/deregister", "{\"targets\": [{\"id\": \"127.0.0.2\"}]}");
            assertThat(fulcrum.revision()).isEqualTo(afterDeregister);
        }
    }

    @Test
    void targetsOfABodyAreCheckedWithPathsWithinIt() throws Exception {
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, Configs.base())) {
            AdminFixture.Response invalid = fulcrum.post("/v1/target-groups/web/targets/register",
                    "{\"targets\": [{\"id\": \"127.0.0.1\", \"port\": 80}, {\"id\": \"127.0.0.1\", \"port\": 70000},"
                            + " {\"port\": 80}]}");
            assertThat(invalid.status()).isEqualTo(400);
            assertThat(invalid.code()).isEqualTo("ValidationError");
            assertThat(paths(invalid)).contains("targets[2].id");
            AdminFixture.Response range = fulcrum.post("/v1/target-groups/web/targets/register",
                    "{\"targets\": [{\"id\": \"127.0.0.1\", \"port\": 80}, {\"id\": \"127.0.0.1\", \"port\": 70000}]}");
            assertThat(paths(range)).containsExactly("targets[1].port");
            assertThat(paths(fulcrum.post("/v1/target-groups/web/targets/register", "{\"targets\": []}")))
                    .containsExactly("targets");
            assertThat(paths(fulcrum.post("/v1/target-groups/web/targets/register", "{\"target\": []}")))
                    .containsExactly("targets");
            assertThat(fulcrum.revision()).isEqualTo(1);
        }
    }
}
