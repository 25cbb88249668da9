package io.fulcrum.admin;

import static io.fulcrum.admin.StateApiTest.paths;
import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.model.Rule;
import io.fulcrum.testing.RunningFulcrum;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Load balancers, listeners and rules: create, read, replace, delete, and their errors. */
class LoadBalancerApiTest {
    @TempDir
    Path dataDirectory;

    @Test
    void loadBalancersAreCreatedReadReplacedAndDeleted() throws Exception {
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, Configs.base())) {
            int port = RunningFulcrum.freePort();
            String body = """
                    {"name": "second", "listeners": [{"port": %d, "bindAddress": "127.0.0.1",
                      "defaultActions": [{"type": "fixed-response", "fixedResponseConfig": {"statusCode": 204}}]}]}
                    """.formatted(port);
            AdminFixture.Response created = fulcrum.post("/v1/load-balancers", body);
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.json().get("name").asText()).isEqualTo("second");
            assertThat(created.json().at("/attributes/idleTimeout").asText()).isEqualTo("1m");
            assertThat(fulcrum.server.listeners()).containsKey("127.0.0.1:" + port); // served at once
            long revision = fulcrum.revision();

            // AWS: creating the same again succeeds and changes nothing; other settings under the name conflict
            assertThat(fulcrum.post("/v1/load-balancers", body).status()).isEqualTo(200);
            assertThat(fulcrum.revision()).isEqualTo(revision);
            AdminFixture.Response duplicate = fulcrum.post("/v1/load-balancers", "{\"name\": \"second\"}");
            assertThat(duplicate.status()).isEqualTo(409);
            assertThat(duplicate.code()).isEqualTo("DuplicateLoadBalancerName");

            assertThat(fulcrum.get("/v1/load-balancers").json().get("loadBalancers")).hasSize(2);
            assertThat(fulcrum.get("/v1/load-balancers/second").json().get("listeners")).hasSize(1);

            // a replacing body without listeners keeps them
            AdminFixture.Response replaced = fulcrum.put("/v1/load-balancers/second",
                    "{\"attributes\": {\"idleTimeout\": \"30s\"}}");
            assertThat(replaced.status()).isEqualTo(200);
            assertThat(replaced.json().at("/attributes/idleTimeout").asText()).isEqualTo("30s");
            assertThat(replaced.json().get("listeners")).hasSize(1);
            AdminFixture.Response renamed = fulcrum.put("/v1/load-balancers/second", "{\"name\": \"third\"}");
            assertThat(renamed.status()).isEqualTo(400);
            assertThat(paths(renamed)).containsExactly("name");

            assertThat(fulcrum.delete("/v1/load-balancers/second").status()).isEqualTo(204);
            assertThat(fulcrum.server.listeners()).doesNotContainKey("127.0.0.1:" + port);
            for (AdminFixture.Response missing : new AdminFixture.Response[] {fulcrum.get("/v1/load-balancers/second"),
                    fulcrum.delete("/v1/load-balancers/second"), fulcrum.put("/v1/load-balancers/second", "{}"),
                    fulcrum.get("/v1/load-balancers/second/listeners")}) {
                assertThat(missing.status()).isEqualTo(404);
                assertThat(missing.code()).isEqualTo("LoadBalancerNotFound");
            }
        }
    }

    @Test
    void anInvalidBodyIsRefusedWithPathsWithinTheBody() throws Exception {
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, Configs.base())) {
            AdminFixture.Response invalid = fulcrum.post("/v1/load-balancers", """
                    {"name": "bad-", "listeners": [{"port": 70000, "defaultActions": [
                      {"type": "forward", "targetGroupName": "nope"}]}], "colour": "red"}
                    """);
            assertThat(invalid.status()).isEqualTo(400);
            assertThat(invalid.code()).isEqualTo("ValidationError");
            assertThat(paths(invalid)).contains("colour");
            AdminFixture.Response ranges = fulcrum.post("/v1/load-balancers", """
                    {"name": "bad-", "listeners": [{"port": 70000, "defaultActions": [
                      {"type": "forward", "targetGroupName": "nope"}]}]}
                    """);
            assertThat(paths(ranges)).contains("name", "listeners[0].port");
            assertThat(ranges.json().at("/error/message").asText()).startsWith("invalid request");
            assertThat(fulcrum.post("/v1/load-balancers", "[1, 2]").status()).isEqualTo(400);
            assertThat(fulcrum.post("/v1/load-balancers", "{\"name\": ").status()).isEqualTo(400);
            assertThat(fulcrum.post("/v1/load-balancers", "").status()).isEqualTo(400);
            assertThat(fulcrum.revision()).isEqualTo(1);
        }
    }

    @Test
    void listenersAreManagedUnderTheirLoadBalancer() throws Exception {
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, Configs.base())) {
            int port = RunningFulcrum.freePort();
            String listener = """
                    {"port": %d, "bindAddress": "127.0.0.1", "defaultActions": [{"type": "forward", "targetGroupName": "spare"}]}
                    """.formatted(port);
            AdminFixture.Response created = fulcrum.post("/v1/load-balancers/lb/listeners", listener);
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.json().get("port").asInt()).isEqualTo(port);
            assertThat(fulcrum.server.listeners()).containsKey("127.0.0.1:" + port);
            assertThat(fulcrum.post("/v1/load-balancers/lb/listeners", listener).status()).isEqualTo(200);
            AdminFixture.Response duplicate = fulcrum.post("/v1/load-balancers/lb/listeners",
                    "{\"port\": %d, \"defaultActions\": [{\"type\": \"forward\", \"targetGroupName\": \"web\"}]}".formatted(port));
            assertThat(duplicate.status()).isEqualTo(409);
            assertThat(duplicate.code()).isEqualTo("DuplicateListener");
            assertThat(fulcrum.get("/v1/load-balancers/lb/listeners").json().get("listeners")).hasSize(2);

            AdminFixture.Response invalid = fulcrum.post("/v1/load-balancers/lb/listeners",
                    "{\"port\": 0, \"defaultActions\": []}");
            assertThat(invalid.status()).isEqualTo(400);
            assertThat(paths(invalid)).contains("port");

            AdminFixture.Response replaced = fulcrum.put("/v1/load-balancers/lb/listeners/" + port,
                    "{\"bindAddress\": \"127.0.0.1\", \"maxConnections\": 10,"
                            + " \"defaultActions\": [{\"type\": \"forward\", \"targetGroupName\": \"web\"}]}");
            assertThat(replaced.status()).isEqualTo(200);
            assertThat(replaced.json().get("maxConnections").asInt()).isEqualTo(10);
            assertThat(fulcrum.get("/v1/load-balancers/lb/listeners/" + port).json().at(
                    "/defaultActions/0/forwardConfig/targetGroups/0/targetGroupName").asText()).isEqualTo("web");

            assertThat(fulcrum.delete("/v1/load-balancers/lb/listeners/" + port).status()).isEqualTo(204);
            assertThat(fulcrum.server.listeners()).doesNotContainKey("127.0.0.1:" + port);
            AdminFixture.Response missing = fulcrum.get("/v1/load-balancers/lb/listeners/" + port);
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.code()).isEqualTo("ListenerNotFound");
            assertThat(fulcrum.get("/v1/load-balancers/lb/listeners/http").status()).isEqualTo(400);
        }
    }

    @Test
    void rulesAreManagedUnderTheirListenerAndPrioritiesSetAtOnce() throws Exception {
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, Configs.base())) {
            int port = fulcrum.server.listeners().values().iterator().next().boundPort();
            String rules = "/v1/load-balancers/lb/listeners/" + port + "/rules";
            String rule = """
                    {"priority": 20, "conditions": [{"field": "host-header", "values": ["b.example.com"]}],
                     "actions": [{"type": "forward", "targetGroupName": "spare"}]}
                    """;
            assertThat(fulcrum.post(rules, rule).status()).isEqualTo(201);
            assertThat(fulcrum.post(rules, rule).status()).isEqualTo(200);
            AdminFixture.Response inUse = fulcrum.post(rules, rule.replace("b.example.com", "c.example.com"));
            assertThat(inUse.status()).isEqualTo(409);
            assertThat(inUse.code()).isEqualTo("PriorityInUse");
            AdminFixture.Response invalid = fulcrum.post(rules, "{\"priority\": 30, \"conditions\": [],"
                    + " \"actions\": [{\"type\": \"forward\", \"targetGroupName\": \"nope\"}]}");
            assertThat(invalid.status()).isEqualTo(400);
            assertThat(paths(invalid)).contains("conditions").anyMatch(path -> path.startsWith("actions[0]"));

            assertThat(fulcrum.get(rules).json().get("rules")).hasSize(2);
            assertThat(fulcrum.get(rules + "/20").json().at("/conditions/0/values/0").asText()).isEqualTo("b.example.com");
            AdminFixture.Response replaced = fulcrum.put(rules + "/20", rule.replace("b.example.com", "d.example.com")
                    .replace("\"priority\": 20, ", ""));
            assertThat(replaced.status()).isEqualTo(200);
            assertThat(replaced.json().at("/conditions/0/values/0").asText()).isEqualTo("d.example.com");

            // a swap: each move alone would collide, together they are valid
            AdminFixture.Response swapped = fulcrum.post(rules + "/set-priorities",
                    "[{\"from\": 10, \"to\": 20}, {\"from\": 20, \"to\": 10}]");
            assertThat(swapped.status()).isEqualTo(200);
            assertThat(fulcrum.get(rules + "/10").json().at("/conditions/0/values/0").asText()).isEqualTo("d.example.com");
            assertThat(fulcrum.server.config().loadBalancers().get(0).listeners().get(0).rules())
                    .extracting(Rule::priority).containsExactlyInAnyOrder(10, 20);
            AdminFixture.Response collision = fulcrum.post(rules + "/set-priorities", "[{\"from\": 10, \"to\": 20}]");
            assertThat(collision.status()).isEqualTo(409);
            assertThat(collision.code()).isEqualTo("PriorityInUse");
            AdminFixture.Response unknown = fulcrum.post(rules + "/set-priorities", "[{\"from\": 99, \"to\": 98}]");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.code()).isEqualTo("RuleNotFound");
            AdminFixture.Response outOfRange = fulcrum.post(rules + "/set-priorities", "[{\"from\": 10, \"to\": 60000}]");
            assertThat(outOfRange.status()).isEqualTo(400);
            assertThat(paths(outOfRange)).containsExactly("[0].to");

            assertThat(fulcrum.delete(rules + "/10").status()).isEqualTo(204);
            AdminFixture.Response missing = fulcrum.get(rules + "/10");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.code()).isEqualTo("RuleNotFound");
            assertThat(fulcrum.delete(rules + "/10").code()).isEqualTo("RuleNotFound");
        }
    }
}
