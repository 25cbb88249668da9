package io.fulcrum.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.testing.RawHttp;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every condition type, priority order, the default action and every action type, through a running Fulcrum. */
class RoutingEndToEndTest {
    private static final String[] GROUPS = {"hosts", "api", "apiexact", "canary", "deletes", "query", "local",
            "one", "three", "default"};
    private static final Map<String, TestBackend> BACKENDS = new LinkedHashMap<>();
    private static RunningFulcrum fulcrum;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        RawHttp.noDelayBackends();
        for (String name : GROUPS) {
            BACKENDS.put(name, new TestBackend(name));
        }
        StringBuilder groups = new StringBuilder();
        for (Map.Entry<String, TestBackend> entry : BACKENDS.entrySet()) {
            groups.append("""
                      - name: %s
                        targets: ["%s"]
                        healthCheck: {enabled: false}
                    """.formatted(entry.getKey(), entry.getValue().address()));
        }
        String yaml = """
                loadBalancers:
                  - name: lb
                    listeners:
                      - port: %d
                        bindAddress: 127.0.0.1
                        rules:
                          - priority: 1
                            conditions: [{field: host-header, values: ["*.example.com"]}]
                            actions: [{type: forward, targetGroupName: hosts}]
                          - priority: 2
                            conditions: [{field: path-pattern, values: ["/api/*"]}]
                            actions: [{type: forward, targetGroupName: api}]
                          - priority: 3
                            conditions: [{field: path-pattern, values: ["/api/exact"]}]
                            actions: [{type: forward, targetGroupName: apiexact}]
                          - priority: 4
                            conditions: [{field: http-header, httpHeaderName: X-Canary, values: ["yes*"]}]
                            actions: [{type: forward, targetGroupName: canary}]
                          - priority: 5
                            conditions: [{field: http-request-method, values: [DELETE]}]
                            actions: [{type: forward, targetGroupName: deletes}]
                          - priority: 6
                            conditions: [{field: query-string, queryStringValues: [{key: version, value: "v2*"}]}]
                            actions: [{type: forward, targetGroupName: query}]
                          - priority: 7
                            conditions:
                              - {field: source-ip, values: ["10.0.0.0/8"]}
                            actions:
                              - type: fixed-response
                                fixedResponseConfig: {statusCode: 403, contentType: text/plain, messageBody: ten}
                          - priority: 8
                            conditions:
                              - {field: source-ip, values: ["127.0.0.0/8"]}
                              - {field: path-pattern, values: ["/local"]}
                            actions: [{type: forward, targetGroupName: local}]
                          - priority: 10
                            conditions: [{field: path-pattern, values: ["/old/*"]}]
                            actions:
                              - type: redirect
                                redirectConfig: {protocol: HTTPS, port: "8443", statusCode: HTTP_301}
                          - priority: 11
                            conditions: [{field: path-pattern, values: ["/moved/*"]}]
                            actions:
                              - type: redirect
                                redirectConfig:
                                  host: "new.#{host}"
                                  path: "/v2/#{path}"
                                  query: "from=#{port}&#{query}"
                                  statusCode: HTTP_302
                          - priority: 20
                            conditions: [{field: path-pattern, values: ["/maintenance"]}]
                            actions:
                              - type: fixed-response
                                fixedResponseConfig: {statusCode: 503, contentType: application/json, messageBody: '{"down":true}'}
                          - priority: 30
                            conditions: [{field: path-pattern, values: ["/weighted"]}]
                            actions:
                              - type: forward
                                forwardConfig:
                                  targetGroups: [{targetGroupName: one, weight: 1}, {targetGroupName: three, weight: 3}]
                          - priority: 31
                            conditions: [{field: path-pattern, values: ["/sticky-group"]}]
                            actions:
                              - type: forward
                                forwardConfig:
                                  targetGroups: [{targetGroupName: one, weight: 1}, {targetGroupName: three, weight: 3}]
                                  stickiness: {enabled: true, duration: 1h}
                        defaultActions: [{type: forward, targetGroupName: default}]
                targetGroups:
                %s""".formatted(RunningFulcrum.freePort(), groups);
        fulcrum = RunningFulcrum.start(yaml);
        port = fulcrum.port();
    }

    @AfterAll
    static void stop() {
        if (fulcrum != null) {
            fulcrum.close();
        }
        BACKENDS.values().forEach(TestBackend::close);
    }

    private static String body(String target, String host, String... headers) throws Exception {
        RawHttp.Response response = RawHttp.request(port, "GET", target, host, headers);
        assertThat(response.status()).as("status of %s (Host %s)", target, host).isEqualTo(200);
        return response.body();
    }

    @Test
    void hostHeaderWithWildcard() throws Exception {
        assertThat(body("/", "shop.example.com")).isEqualTo("hosts");
        assertThat(body("/", "SHOP.Example.COM:8080")).as("host is case-insensitive, port ignored").isEqualTo("hosts");
        assertThat(body("/", "example.com")).as("the wildcard needs a label before .example.com").isEqualTo("default");
        assertThat(body("/", "shop.example.org")).isEqualTo("default");
        assertThat(BACKENDS.get("hosts").received()).as("Host is kept")
                .anySatisfy(seen -> assertThat(seen.header("Host")).isEqualTo("shop.example.com"));
    }

    @Test
    void pathPatternIsCaseSensitiveAndIgnoresTheQuery() throws Exception {
        assertThat(body("/api/users?x=/other", "127.0.0.1")).isEqualTo("api");
        assertThat(body("/API/users", "127.0.0.1")).isEqualTo("default");
        assertThat(body("/api", "127.0.0.1")).as("/api/* needs the slash").isEqualTo("default");
    }

    @Test
    void rulesAreEvaluatedByPriority() throws Exception {
        // /api/exact matches rules 2 and 3: the lower number wins
        assertThat(body("/api/exact", "127.0.0.1")).isEqualTo("api");
        // a host rule (priority 1) wins over the path rule (priority 2)
        assertThat(body("/api/exact", "a.example.com")).isEqualTo("hosts");
        assertThat(BACKENDS.get("apiexact").requestCount()).isZero();
    }

    @Test
    void httpHeaderNameIsCaseInsensitiveAndValueHasWildcards() throws Exception {
        assertThat(body("/", "127.0.0.1", "x-canary: yes-please")).isEqualTo("canary");
        assertThat(body("/", "127.0.0.1", "X-Canary: no")).isEqualTo("default");
        assertThat(body("/", "127.0.0.1", "X-Other: yes")).isEqualTo("default");
    }

    @Test
    void httpRequestMethod() throws Exception {
        RawHttp.Response delete = RawHttp.request(port, "DELETE", "/thing", "127.0.0.1");
        assertThat(delete.status()).isEqualTo(200);
        assertThat(delete.body()).isEqualTo("deletes");
        assertThat(BACKENDS.get("deletes").received()).anySatisfy(r -> assertThat(r.method()).isEqualTo("DELETE"));
        assertThat(RawHttp.request(port, "PUT", "/thing", "127.0.0.1").body()).isEqualTo("default");
    }

    @Test
    void queryStringKeyAndValueWithWildcard() throws Exception {
        assertThat(body("/?a=1&version=v2beta", "127.0.0.1")).isEqualTo("query");
        assertThat(body("/?version=v1", "127.0.0.1")).isEqualTo("default");
        assertThat(body("/?v2=version", "127.0.0.1")).isEqualTo("default");
    }

    @Test
    void sourceIpMatchesTheClientsCidrOnly() throws Exception {
        // the client is 127.0.0.1: the 10.0.0.0/8 rule (priority 7) must not answer, the 127.0.0.0/8 one must
        assertThat(body("/local", "127.0.0.1")).isEqualTo("local");
        assertThat(body("/", "127.0.0.1")).isEqualTo("default");
    }

    @Test
    void defaultActionWhenNoRuleMatches() throws Exception {
        int before = BACKENDS.get("default").requestCount();
        assertThat(body("/nothing/matches", "127.0.0.1")).isEqualTo("default");
        assertThat(BACKENDS.get("default").requestCount()).isEqualTo(before + 1);
    }

    @Test
    void redirectToHttpsOn8443KeepsHostPathAndQuery() throws Exception {
        RawHttp.Response response = RawHttp.request(port, "GET", "/old/page?a=1&b=2", "shop.test");
        assertThat(response.status()).isEqualTo(301);
        assertThat(response.header("Location")).isEqualTo("https://shop.test:8443/old/page?a=1&b=2");
    }

    @Test
    void redirectWithPlaceholdersIn302() throws Exception {
        RawHttp.Response response = RawHttp.request(port, "GET", "/moved/x?q=1", "shop.test");
        assertThat(response.status()).isEqualTo(302);
        assertThat(response.header("Location"))
                .isEqualTo("http://new.shop.test:" + port + "/v2/moved/x?from=" + port + "&q=1");
    }

    @Test
    void fixedResponseWithStatusContentTypeAndBody() throws Exception {
        RawHttp.Response response = RawHttp.get(port, "/maintenance");
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.body()).isEqualTo("{\"down\":true}");
        assertThat(BACKENDS.values()).allSatisfy(b -> assertThat(b.received())
                .noneSatisfy(r -> assertThat(r.uri()).startsWith("/maintenance")));
    }

    @Test
    void weightedForwardSplitsOneToThree() throws Exception {
        int n = 200;
        Map<String, Integer> counts = RawHttp.count(port, "/weighted", n);
        assertThat(counts.keySet()).containsOnly("one", "three");
        // binomial: mean n*p, stddev sqrt(n*p*(1-p)); 5 stddev keeps a false alarm below one in a million
        double p = 0.25;
        double sd = Math.sqrt(n * p * (1 - p));
        assertThat((double) counts.getOrDefault("one", 0)).isBetween(n * p - 5 * sd, n * p + 5 * sd);
    }

    @Test
    void groupStickinessCookiePinsAClientToOneGroup() throws Exception {
        // get pinned to the weight-1 group: by chance, 20 answers in a row from it would be 0.25^20
        String cookie = null;
        for (int i = 0; i < 200 && cookie == null; i++) {
            RawHttp.Response response = RawHttp.get(port, "/sticky-group");
            assertThat(response.setCookie("FULCRUMLBTG")).as("group stickiness cookie").isNotNull();
            if (response.body().equals("one")) {
                cookie = response.setCookie("FULCRUMLBTG");
            }
        }
        assertThat(cookie).isNotNull();
        Map<String, Integer> pinned = RawHttp.count(port, "/sticky-group", 20, "Cookie: FULCRUMLBTG=" + cookie);
        assertThat(pinned).containsOnly(Map.entry("one", 20));
    }
}
