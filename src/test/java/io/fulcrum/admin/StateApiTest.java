package io.fulcrum.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fulcrum.config.ConfigLoader;
import io.fulcrum.config.ConfigWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole state: GET/PUT with If-Match, diff, revisions and rollback. */
class StateApiTest {
    @TempDir
    Path dataDirectory;

    @Test
    void getShowsTheRevisionAndTheConfigInTheFilesShape() throws Exception {
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, Configs.base())) {
            AdminFixture.Response state = fulcrum.get("/v1/state");
            assertThat(state.status()).isEqualTo(200);
            assertThat(state.json().get("revision").asLong()).isEqualTo(1);
            assertThat(state.json().get("cause").asText()).isEqualTo("test start");
            assertThat(state.json().get("time").asText()).isNotEmpty();
            assertThat(state.etag()).isEqualTo("\"1\"");
            // what GET shows, a config file reads back to the same state
            assertThat(ConfigLoader.parse(state.json().get("config").toString()))
                    .isEqualTo(fulcrum.controlPlane.current().config());
        }
    }

    @Test
    void putAppliesAWholeConfigAndTheSameAgainMakesNoRevision() throws Exception {
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, Configs.base())) {
            String yaml = Configs.base(fulcrum.server.listeners().values().iterator().next().boundPort())
                    + "  - name: extra\n    port: 9000\n";
            AdminFixture.Response put = fulcrum.send("PUT", "/v1/state", yaml, "X-Fulcrum-Cause", "fulcrum apply -f x.yaml");
            assertThat(put.status()).isEqualTo(200);
            assertThat(put.json().get("revision").asLong()).isEqualTo(2);
            assertThat(put.json().get("cause").asText()).isEqualTo("fulcrum apply -f x.yaml");
            assertThat(fulcrum.controlPlane.current().config().targetGroup("extra")).isNotNull();

            AdminFixture.Response again = fulcrum.put("/v1/state", yaml);
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.json().get("revision").asLong()).isEqualTo(2);
            assertThat(fulcrum.revision()).isEqualTo(2);
        }
    }

    @Test
    void aStaleIfMatchIsAConflictAndTheCurrentOneApplies() throws Exception {
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, Configs.base())) {
            ObjectNode config = (ObjectNode) fulcrum.get("/v1/state").json().get("config");
            ((ObjectNode) config.get("targetGroups").get(2)).put("port", 9001);
            AdminFixture.Response stale = fulcrum.send("PUT", "/v1/state", config.toString(), "If-Match", "\"0\"");
            assertThat(stale.status()).isEqualTo(409);
            assertThat(stale.code()).isEqualTo("RevisionConflict");
            assertThat(fulcrum.revision()).isEqualTo(1);

            AdminFixture.Response current = fulcrum.send("PUT", "/v1/state", config.toString(), "If-Match", "\"1\"");
            assertThat(current.status()).isEqualTo(200);
            assertThat(current.etag()).isEqualTo("\"2\"");
            // any write takes If-Match
            AdminFixture.Response staleWrite = fulcrum.send("DELETE", "/v1/target-groups/spare", null, "If-Match", "1");
            assertThat(staleWrite.status()).isEqualTo(409);
            assertThat(staleWrite.code()).isEqualTo("RevisionConflict");
            AdminFixture.Response badIfMatch = fulcrum.send("DELETE", "/v1/target-groups/spare", null, "If-Match", "abc");
            assertThat(badIfMatch.status()).isEqualTo(400);
        }
    }

    @Test
    void anInvalidConfigIsRefusedWithEveryProblemsFieldPath() throws Exception {
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, Configs.base())) {
            AdminFixture.Response invalid = fulcrum.put("/v1/state", """
                    targetGroups:
                      - name: web
                        port: 8080
                        healthCheck: {interval: 1ms}
                    loadBalancers:
                      - name: lb
                        listeners:
                          - port: 70000
                            defaultActions: [{type: forward, targetGroupName: web}]
                    """);
            assertThat(invalid.status()).isEqualTo(400);
            assertThat(invalid.code()).isEqualTo("ValidationError");
            assertThat(paths(invalid)).contains("targetGroups[0].healthCheck.interval", "loadBalancers[0].listeners[0].port");
            assertThat(fulcrum.revision()).isEqualTo(1);

            AdminFixture.Response syntax = fulcrum.put("/v1/state", "targetGroups: [");
            assertThat(syntax.status()).isEqualTo(400);
            assertThat(syntax.json().at("/error/problems/0/path").asText()).startsWith("line ");
        }
    }

    @Test
    void diffListsWhatWouldChangeWithoutChangingIt() throws Exception {
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, Configs.base())) {
            ObjectNode config = (ObjectNode) fulcrum.get("/v1/state").json().get("config");
            ObjectNode web = (ObjectNode) config.get("targetGroups").get(0);
            ((ObjectNode) web.get("healthCheck")).put("interval", "10s");
            web.withArray("targets").addObject().put("id", "127.0.0.1").put("port", 9100);
            config.withArray("targetGroups").remove(2);
            AdminFixture.Response diff = fulcrum.post("/v1/state/diff", config.toString());
            assertThat(diff.status()).isEqualTo(200);
            assertThat(diff.json().get("revision").asLong()).isEqualTo(1);
            JsonNode changes = diff.json().get("changes");
            assertThat(changes).hasSize(3);
            assertThat(changes.get(0).toString()).isEqualTo(
                    "{\"action\":\"change\",\"kind\":\"targetGroup\",\"name\":\"web\",\"fields\":[\"healthCheck.interval\"]}");
            assertThat(changes.get(1).toString()).isEqualTo(
                    "{\"action\":\"remove\",\"kind\":\"targetGroup\",\"name\":\"spare\",\"fields\":[]}");
            assertThat(changes.get(2).toString()).isEqualTo(
                    "{\"action\":\"add\",\"kind\":\"target\",\"name\":\"web/127.0.0.1:9100\",\"fields\":[]}");
            assertThat(fulcrum.revision()).isEqualTo(1);

            AdminFixture.Response none = fulcrum.post("/v1/state/diff",
                    ConfigWriter.toYaml(fulcrum.controlPlane.current().config()));
            assertThat(none.json().get("changes")).isEmpty();
            AdminFixture.Response invalid = fulcrum.post("/v1/state/diff", "loadBalancers: 3");
            assertThat(invalid.status()).isEqualTo(400);
        }
    }

    @Test
    void revisionsAreListedAndARollbackMakesAnOldOneCurrentAsANewRevision() throws Exception {
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, Configs.base())) {
            var original = fulcrum.controlPlane.current().config();
            assertThat(fulcrum.delete("/v1/target-groups/spare").status()).isEqualTo(204);
            assertThat(fulcrum.revision()).isEqualTo(2);

            AdminFixture.Response revisions = fulcrum.get("/v1/revisions");
            assertThat(revisions.json()).hasSize(2);
            assertThat(revisions.json().get(1).get("revision").asLong()).isEqualTo(2);
            assertThat(revisions.json().get(1).get("cause").asText()).isEqualTo("API DeleteTargetGroup spare");
            assertThat(revisions.json().get(1).has("config")).isFalse();
            AdminFixture.Response first = fulcrum.get("/v1/revisions/1");
            assertThat(ConfigLoader.parse(first.json().get("config").toString())).isEqualTo(original);
            assertThat(fulcrum.get("/v1/revisions/99").status()).isEqualTo(404);
            assertThat(fulcrum.get("/v1/revisions/99").code()).isEqualTo("RevisionNotFound");
            assertThat(fulcrum.get("/v1/revisions/abc").status()).isEqualTo(400);

            AdminFixture.Response rollback = fulcrum.post("/v1/revisions/1/rollback", null);
            assertThat(rollback.status()).isEqualTo(200);
            assertThat(rollback.json().get("revision").asLong()).isEqualTo(3);
            assertThat(rollback.json().get("cause").asText()).isEqualTo("API Rollback to revision 1");
            assertThat(fulcrum.controlPlane.current().config()).isEqualTo(original);
            assertThat(fulcrum.server.config().targetGroup("spare")).isNotNull(); // served, not only stored
            assertThat(fulcrum.post("/v1/revisions/42/rollback", null).status()).isEqualTo(404);
        }
    }

    static java.util.List<String> paths(AdminFixture.Response response) {
        java.util.List<String> paths = new java.util.ArrayList<>();
        response.json().at("/error/problems").forEach(problem -> paths.add(problem.get("path").asText()));
        return paths;
    }
}
