package io.fulcrum.config;

import io.fulcrum.model.ConfigProblem;
import org.junit.jupiter.api.Test;

import static io.fulcrum.config.ConfigProblems.minimal;
import static io.fulcrum.config.ConfigProblems.of;
import static org.assertj.core.api.Assertions.assertThat;

/** Each kind of binding mistake, with the path and message the user sees. */
class ConfigLoaderProblemsTest {
    private static final String LB = "loadBalancers[0].listeners[0]";

    @Test
    void unknownKeySuggestsTheClosestKnownKey() {
        assertThat(of("""
                loadBalancers:
                  - name: web
                    listners: []
                """)).containsExactly(new ConfigProblem("loadBalancers[0].listners", "unknown key (did you mean 'listeners'?)"));
    }

    @Test
    void unknownKeyFarFromAnyListsTheKnownKeys() {
        assertThat(of("""
                loadBalancers:
                  - name: web
                    zzz: 1
                """)).containsExactly(new ConfigProblem("loadBalancers[0].zzz",
                "unknown key (expected one of: name, attributes, listeners)"));
    }

    @Test
    void unknownKeyThatDiffersOnlyInCaseIsSuggested() {
        assertThat(of(minimal("        maxconnections: 5", ""))).containsExactly(
                new ConfigProblem(LB + ".maxconnections", "unknown key (did you mean 'maxConnections'?)"));
    }

    @Test
    void autoScalingKeysAreKnown() {
        assertThat(of("""
                launchTemplates: [{name: t1}]
                autoScalingGroups: []
                """)).containsExactly(new ConfigProblem("launchTemplates[0].command",
                "missing (expected: the program and its arguments, like [java, -jar, app.jar])"));
    }

    @Test
    void httpsListenerKeysAreRefusedOnHttpListeners() {
        assertThat(of(minimal("        sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06", ""))).containsExactly(
                new ConfigProblem(LB + ".sslPolicy", "\"ELBSecurityPolicy-TLS13-1-2-2021-06\""
                        + " (expected: none: only HTTPS and TLS listeners have a security policy)"));
    }

    @Test
    void wrongTypesNameWhatWasFoundAndWhatWasExpected() {
        assertThat(of("""
                loadBalancers:
                  name: web
                targetGroups:
                  - name: [a]
                    port: eighty
                    targets: "127.0.0.1:9001"
                    healthCheck: [1]
                    attributes: {stickiness: {enabled: maybe}}
                """)).containsExactly(
                new ConfigProblem("loadBalancers", "an object (expected: a list)"),
                new ConfigProblem("targetGroups[0].name", "a list (expected: a string)"),
                new ConfigProblem("targetGroups[0].port", "\"eighty\" (expected: a whole number)"),
                new ConfigProblem("targetGroups[0].targets", "\"127.0.0.1:9001\" (expected: a list)"),
                new ConfigProblem("targetGroups[0].healthCheck", "a list (expected: {protocol, path, interval, timeout, ...})"),
                new ConfigProblem("targetGroups[0].attributes.stickiness.enabled", "\"maybe\" (expected: true or false)"));
    }

    @Test
    void theRootMustBeAMapping() {
        assertThat(of("- a\n- b\n")).containsExactly(
                new ConfigProblem("(root)", "a list (expected: a mapping with loadBalancers and targetGroups)"));
    }

    @Test
    void badDurationsSayWhatADurationLooksLike() {
        assertThat(of(minimal("", """
                    healthCheck: {interval: abc, timeout: 30, }
                    attributes: {slowStart: 1.5s}
                """))).containsExactly(
                new ConfigProblem("targetGroups[0].healthCheck.interval", "\"abc\" (expected: a duration like 30s, 500ms, 1m, 1h, 1d)"),
                new ConfigProblem("targetGroups[0].healthCheck.timeout", "30 (expected: a duration like 30s, 500ms, 1m, 1h, 1d)"),
                new ConfigProblem("targetGroups[0].attributes.slowStart", "\"1.5s\" (expected: a duration like 30s, 500ms, 1m, 1h, 1d)"));
    }

    @Test
    void enumNamesSuggestTheClosestName() {
        assertThat(of(minimal("        protocol: http", """
                    targetType: IP
                    attributes: {algorithm: round-robin}
                    healthCheck: {protocol: GENEVE}
                """))).containsExactly(
                new ConfigProblem(LB + ".protocol", "\"http\" (did you mean 'HTTP'?)"),
                new ConfigProblem("targetGroups[0].targetType", "\"IP\" (did you mean 'ip'?)"),
                new ConfigProblem("targetGroups[0].healthCheck.protocol", "\"GENEVE\" (expected: HTTP, HTTPS, TCP)"),
                new ConfigProblem("targetGroups[0].attributes.algorithm", "\"round-robin\" (did you mean 'round_robin'?)"));
    }

    @Test
    void protocolVersionIsOneOfAlbsNames() {
        assertThat(of(minimal("", """
                    protocolVersion: HTTP/2
                """))).containsExactly(
                new ConfigProblem("targetGroups[0].protocolVersion", "\"HTTP/2\" (did you mean 'HTTP2'?)"));
    }

    @Test
    void aGrpcMatcherTakesGrpcCodes() {
        assertThat(of(minimal("", """
                    protocolVersion: GRPC
                    healthCheck: {matcher: "200"}
                """))).containsExactly(
                new ConfigProblem("targetGroups[0].healthCheck.matcher",
                        "'200' is not a valid matcher: '200' is not a gRPC code 0-99 (expected: 12, 0-99 or 0,12)"));
    }

    @Test
    void requiredKeysAreNamedWhenMissing() {
        assertThat(of("""
                loadBalancers:
                  - listeners:
                      - defaultActions: [{type: forward}]
                        rules: [{conditions: [{values: [/a]}], actions: [{}]}]
                targetGroups:
                  - targets: [{port: 1}]
                """)).containsExactly(
                new ConfigProblem("loadBalancers[0].name", "missing (expected: a name like web)"),
                new ConfigProblem(LB + ".port", "missing (expected: a port 1-65535)"),
                new ConfigProblem(LB + ".rules[0].priority", "missing (expected: a priority 1-50000)"),
                new ConfigProblem(LB + ".rules[0].conditions[0].field", "missing (expected: host-header, path-pattern,"
                        + " http-header, http-request-method, query-string, source-ip)"),
                new ConfigProblem(LB + ".rules[0].actions[0].type", "missing (expected: forward, redirect or fixed-response)"),
                new ConfigProblem(LB + ".defaultActions[0].targetGroupName",
                        "missing (expected: targetGroupName, or forwardConfig with targetGroups)"),
                new ConfigProblem("targetGroups[0].name", "missing (expected: a name like web)"),
                new ConfigProblem("targetGroups[0].targets[0].id", "missing (expected: an IP address or a host name)"));
    }

    @Test
    void actionKeysOfAnotherTypeAreCalledMisplaced() {
        assertThat(of(minimal("""
                        rules:
                          - priority: 1
                            conditions: [{field: path-pattern, values: [/a]}]
                            actions:
                              - {type: redirect, targetGroupName: web, fixedResponseConfig: {statusCode: 200},
                                 redirectConfig: {path: /b, statusCode: HTTP_301}}
                          - priority: 2
                            conditions: [{field: path-pattern, values: [/b]}]
                            actions: [{type: forward, targetGroupName: web, forwardConfig: {targetGroups: []}}]
                          - priority: 3
                            conditions: [{field: path-pattern, values: [/c]}]
                            actions: [{type: authenticate-oidc}, {type: fixed}]
                """, ""))).containsExactly(
                new ConfigProblem(LB + ".rules[0].actions[0].fixedResponseConfig", "only used with type fixed-response, not redirect"),
                new ConfigProblem(LB + ".rules[0].actions[0].targetGroupName", "only used with type forward, not redirect"),
                new ConfigProblem(LB + ".rules[1].actions[0]", "both targetGroupName and forwardConfig (expected: one of them)"),
                new ConfigProblem(LB + ".rules[2].actions[0].type",
                        "\"authenticate-oidc\" is not supported yet (expected: forward, redirect or fixed-response)"),
                new ConfigProblem(LB + ".rules[2].actions[1].type", "\"fixed\" (expected one of: forward, redirect, fixed-response)"));
    }

    @Test
    void conditionKeysOfAnotherFieldAreCalledMisplaced() {
        assertThat(of(minimal("""
                        rules:
                          - priority: 1
                            conditions:
                              - {field: path-pattern, values: [/a], httpHeaderName: X}
                              - {field: query-string, values: [a]}
                              - {field: http-header, values: [a]}
                              - {field: host-header, values: [on]}
                            actions: [{type: forward, targetGroupName: web}]
                """, ""))).containsExactly(
                new ConfigProblem(LB + ".rules[0].conditions[0].httpHeaderName", "only used with field http-header, not path-pattern"),
                new ConfigProblem(LB + ".rules[0].conditions[1].queryStringValues", "missing (expected: a list of {key, value})"),
                new ConfigProblem(LB + ".rules[0].conditions[1].values",
                        "not used by query-string (expected: queryStringValues: [{key: k, value: v}])"),
                new ConfigProblem(LB + ".rules[0].conditions[2].httpHeaderName", "missing (expected: a header name like X-Canary)"),
                new ConfigProblem(LB + ".rules[0].conditions[3].values[0]", "true (expected: a string; YAML reads unquoted"
                        + " on, off, yes, no, true and false as booleans, so quote it)"));
    }

    @Test
    void badTargetShorthandAndBadMatcherAreReported() {
        assertThat(of(minimal("", """
                    healthCheck: {matcher: "200-abc", port: ninety}
                  - name: other
                    targets: ["127.0.0.1:http", "[::1"]
                """))).containsExactly(
                new ConfigProblem("targetGroups[0].healthCheck.port", "\"ninety\" (expected: traffic-port or a port 1-65535)"),
                new ConfigProblem("targetGroups[0].healthCheck.matcher", "'200-abc' is not a valid matcher: 'abc' is not an"
                        + " HTTP code 200-599 (expected: 200, 200-299 or 200,302)"),
                new ConfigProblem("targetGroups[1].targets[0]",
                        "\"127.0.0.1:http\" (expected: \"host:port\" like 127.0.0.1:9001 or [::1]:9001)"),
                new ConfigProblem("targetGroups[1].targets[1]",
                        "\"[::1\" (expected: \"host:port\" like 127.0.0.1:9001 or [::1]:9001)"));
    }

    @Test
    void severalProblemsAreReportedTogetherInDocumentOrder() {
        assertThat(of("""
                loadBalancers:
                  - name: web
                    listeners:
                      - port: 80
                        bindAdress: 127.0.0.1
                        defaultActions: [{type: forward, targetGroupName: web}]
                targetGroups:
                  - name: web
                    healthCheck: {interval: soon}
                    atributes: {}
                """)).extracting(ConfigProblem::path).containsExactly(
                LB + ".bindAdress", "targetGroups[0].healthCheck.interval", "targetGroups[0].atributes");
    }

    @Test
    void aYamlSyntaxErrorIsOneProblemWithLineAndColumn() {
        assertThat(of("""
                loadBalancers:
                  - name: web
                    listeners: [{port: 80
                targetGroups: []
                """)).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("line 4, column 13");
            assertThat(problem.message()).startsWith("YAML syntax error: expected ',' or '}'");
        });
    }

    @Test
    void aBadIndentIsASyntaxProblemWithAHint() {
        assertThat(of("""
                targetGroups:
                  - name: a
                   port: 80
                """)).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("line 3, column 4");
            assertThat(problem.message()).contains("check the indentation");
        });
    }

    @Test
    void aRepeatedKeyIsASyntaxProblem() {
        assertThat(of("""
                targetGroups:
                  - name: a
                    name: b
                """)).singleElement().satisfies(problem -> {
            assertThat(problem.path()).startsWith("line 3,");
            assertThat(problem.message()).isEqualTo("duplicate key 'name' (expected: each key once per mapping)");
        });
    }

    @Test
    void rangeErrorsComeFromTheValidatorWithTheirPaths() {
        assertThat(of(minimal("", "    port: 70000"))).containsExactly(
                new ConfigProblem("targetGroups[0].port", "70000 is not a port 1-65535"));
        assertThat(of("""
                loadBalancers:
                  - name: web
                    listeners:
                      - {port: 8080, defaultActions: [{type: fixed-response, fixedResponseConfig: {statusCode: 200}}]}
                      - {port: 70000, defaultActions: [{type: fixed-response, fixedResponseConfig: {statusCode: 200}}]}
                """)).containsExactly(new ConfigProblem("loadBalancers[0].listeners[1].port", "70000 is not a port 1-65535"));
    }
}
