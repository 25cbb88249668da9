package io.fulcrum.config;

import io.fulcrum.model.Algorithm;
import io.fulcrum.model.ConfigProblem;
import io.fulcrum.model.ConfigValidator;
import io.fulcrum.model.FixedResponseAction;
import io.fulcrum.model.ForwardAction;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.HealthCheck;
import io.fulcrum.model.Listener;
import io.fulcrum.model.LoadBalancer;
import io.fulcrum.model.Protocol;
import io.fulcrum.model.Target;
import io.fulcrum.model.TargetGroup;
import io.fulcrum.model.TargetGroupAttributes;
import io.fulcrum.model.TargetType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.fulcrum.config.ConfigProblems.minimal;
import static io.fulcrum.config.ConfigProblems.of;
import static org.assertj.core.api.Assertions.assertThat;

/** The semantic rules, through YAML where that reads best and on records built in code. */
class ConfigValidatorTest {
    private static final String L0 = "loadBalancers[0].listeners[0]";
    private static final String RULE = L0 + ".rules[0]";
    private static final String TG = "targetGroups[0]";

    private static String rule(String conditions, String actions) {
        return minimal("""
                        rules:
                          - priority: 1
                            conditions: %s
                            actions: %s
                """.formatted(conditions, actions), "");
    }

    private static String forwardWeb() {
        return "[{type: forward, targetGroupName: web}]";
    }

    @Test
    void aConfigBuiltInCodeIsHeldToTheSameRules() {
        TargetGroup group = new TargetGroup("web", Protocol.HTTP, 0, TargetType.IP,
                List.of(new Target("127.0.0.1", 9001, 1), new Target("127.0.0.1", 9001, 1)),
                HealthCheck.DEFAULTS, TargetGroupAttributes.DEFAULTS);
        Listener listener = new Listener(Protocol.HTTP, 8080, "127.0.0.1", List.of(),
                List.of(ForwardAction.to("missing")), 0);
        FulcrumConfig config = new FulcrumConfig(List.of(new LoadBalancer("web", null, List.of(listener))), List.of(group));

        assertThat(ConfigValidator.validate(config)).containsExactly(
                new ConfigProblem(L0 + ".maxConnections", "0 (expected: at least 1)"),
                new ConfigProblem(L0 + ".defaultActions[0].forwardConfig.targetGroups[0].targetGroupName",
                        "\"missing\" is not a target group (expected one of: web)"),
                new ConfigProblem("targetGroups[0].targets[1]", "127.0.0.1:9001 is already targets[0] (expected: each target once)"));
    }

    @Test
    void aValidConfigHasNoProblems() {
        TargetGroup group = new TargetGroup("web", Protocol.HTTP, 80, TargetType.IP,
                List.of(new Target("backend.local", 9001, 1)), null, null);
        Listener listener = new Listener(Protocol.HTTP, 8080, "::", List.of(),
                List.of(new FixedResponseAction(200, null, null)), 1);
        assertThat(ConfigValidator.validate(new FulcrumConfig(
                List.of(new LoadBalancer("web", null, List.of(listener))), List.of(group)))).isEmpty();
    }

    @Test
    void namesFollowAlbRulesAndAreUnique() {
        assertThat(of("""
                loadBalancers:
                  - {name: -web}
                  - {name: a-name-that-is-longer-than-32-chars}
                targetGroups:
                  - {name: "web_1"}
                  - {name: api}
                  - {name: api}
                """)).containsExactly(
                new ConfigProblem("loadBalancers[0].name",
                        "\"-web\" (expected: 1-32 letters, digits or hyphens, not starting or ending with a hyphen)"),
                new ConfigProblem("loadBalancers[1].name", "\"a-name-that-is-longer-than-32-chars\""
                        + " (expected: 1-32 letters, digits or hyphens, not starting or ending with a hyphen)"),
                new ConfigProblem("targetGroups[0].name",
                        "\"web_1\" (expected: 1-32 letters, digits or hyphens, not starting or ending with a hyphen)"),
                new ConfigProblem("targetGroups[2].name",
                        "\"api\" is already the name of targetGroups[1] (expected: a unique name)"));
    }

    @Test
    void listenersNeedAFreeAddressAndPortAndHttp() {
        assertThat(of("""
                loadBalancers:
                  - name: a
                    listeners:
                      - {port: 8080, bindAddress: 127.0.0.1, defaultActions: [{type: forward, targetGroupName: web}]}
                      - {port: 8080, bindAddress: 127.0.0.1, defaultActions: [{type: forward, targetGroupName: web}]}
                      - {port: 9090, bindAddress: localhost, defaultActions: [{type: forward, targetGroupName: web}]}
                      - {protocol: HTTPS, port: 8443, defaultActions: [{type: forward, targetGroupName: web}]}
                  - name: b
                    listeners:
                      - {port: 8080, defaultActions: [{type: forward, targetGroupName: web}]}
                      - {port: 0, bindAddress: "::1", defaultActions: [{type: forward, targetGroupName: web}]}
                targetGroups: [{name: web}]
                """)).containsExactly(
                new ConfigProblem("loadBalancers[0].listeners[1].port",
                        "127.0.0.1 port 8080 is already used by loadBalancers[0].listeners[0] (expected: a unique address and port)"),
                new ConfigProblem("loadBalancers[0].listeners[2].bindAddress",
                        "\"localhost\" (expected: an IP address like 127.0.0.1, 0.0.0.0 or ::)"),
                new ConfigProblem("loadBalancers[0].listeners[3].certificates", "empty (expected: at least one"
                        + " {certificateFile, keyFile}: an HTTPS listener needs a default certificate)"),
                new ConfigProblem("loadBalancers[1].listeners[0].port",
                        "0.0.0.0 port 8080 is already used by loadBalancers[0].listeners[0] (expected: a unique address and port)"),
                new ConfigProblem("loadBalancers[1].listeners[1].port", "0 is not a port 1-65535"));
    }

    @Test
    void rulePrioritiesAreInRangeAndUniquePerListener() {
        assertThat(of(minimal("""
                        rules:
                          - {priority: 0, conditions: [{field: path-pattern, values: [/a]}], actions: %1$s}
                          - {priority: 7, conditions: [{field: path-pattern, values: [/b]}], actions: %1$s}
                          - {priority: 7, conditions: [{field: path-pattern, values: [/c]}], actions: %1$s}
                          - {priority: 50001, conditions: [{field: path-pattern, values: [/d]}], actions: %1$s}
                """.formatted(forwardWeb()), ""))).containsExactly(
                new ConfigProblem(L0 + ".rules[0].priority", "0 (expected: 1-50000)"),
                new ConfigProblem(L0 + ".rules[2].priority",
                        "7 is already the priority of " + L0 + ".rules[1] (expected: a unique priority per listener)"),
                new ConfigProblem(L0 + ".rules[3].priority", "50001 (expected: 1-50000)"));
    }

    @Test
    void eachRuleAndDefaultHasExactlyOneActionAndARuleHasConditions() {
        assertThat(of("""
                loadBalancers:
                  - name: a
                    listeners:
                      - port: 80
                        rules:
                          - {priority: 1, conditions: [], actions: [{type: forward, targetGroupName: web},
                                                                    {type: forward, targetGroupName: web}]}
                        defaultActions: []
                targetGroups: [{name: web}]
                """)).containsExactly(
                new ConfigProblem(RULE + ".conditions",
                        "empty (expected: at least one condition; a catch-all belongs in the listener's defaultActions)"),
                new ConfigProblem(RULE + ".actions", "2 actions (expected: exactly one forward, redirect or fixed-response)"),
                new ConfigProblem(L0 + ".defaultActions", "empty (expected: exactly one forward, redirect or fixed-response)"));
    }

    @Test
    void conditionValuesAreChecked() {
        assertThat(of(rule("""
                [{field: path-pattern, values: [api/*, ""]}, {field: path-pattern, values: [/b]},
                 {field: source-ip, values: [10.0.0.0/33, 192.0.2.1, "2001:db8::/32"]},
                 {field: http-request-method, values: [get, PATCH]},
                 {field: host-header, values: []},
                 {field: http-header, httpHeaderName: "X Bad", values: [a]},
                 {field: query-string, queryStringValues: [{key: "", value: ""}]}]""", forwardWeb()))).containsExactly(
                new ConfigProblem(RULE + ".conditions[0].values[0]", "\"api/*\" (expected: a pattern starting with / or *)"),
                new ConfigProblem(RULE + ".conditions[0].values[1]", "empty (expected: a value)"),
                new ConfigProblem(RULE + ".conditions[1].field",
                        "a second path-pattern condition (expected: one per rule; add the values to conditions[0] instead)"),
                new ConfigProblem(RULE + ".conditions[2].values[0]", "\"10.0.0.0/33\" (expected: an IPv4 or IPv6 CIDR"
                        + " like 10.0.0.0/8 or 2001:db8::/32; one address is 192.0.2.1/32)"),
                new ConfigProblem(RULE + ".conditions[2].values[1]", "\"192.0.2.1\" (expected: an IPv4 or IPv6 CIDR"
                        + " like 10.0.0.0/8 or 2001:db8::/32; one address is 192.0.2.1/32)"),
                new ConfigProblem(RULE + ".conditions[3].values[0]", "\"get\" (expected: a method name of A-Z, - and _, like GET)"),
                new ConfigProblem(RULE + ".conditions[4].values", "empty (expected: at least one value)"),
                new ConfigProblem(RULE + ".conditions[5].httpHeaderName",
                        "\"X Bad\" (expected: a header name of letters, digits and !#$%&'*+-.^_`|~)"),
                new ConfigProblem(RULE + ".conditions[6].queryStringValues[0].key",
                        "empty (expected: a key, or no key to match any key)"),
                new ConfigProblem(RULE + ".conditions[6].queryStringValues[0].value", "missing (expected: a value; * matches any)"));
    }

    @Test
    void aPathPatternIsAtMost128Characters() {
        String longPath = "/" + "a".repeat(128);
        assertThat(of(rule("[{field: path-pattern, values: [" + longPath + "]}]", forwardWeb()))).containsExactly(
                new ConfigProblem(RULE + ".conditions[0].values[0]", "129 characters (expected: at most 128)"));
    }

    @Test
    void forwardsNameExistingGroupsWithSaneWeights() {
        String path = RULE + ".actions[0].forwardConfig";
        assertThat(of(rule("[{field: path-pattern, values: [/a]}]", """
                [{type: forward, forwardConfig: {targetGroups: [{targetGroupName: web, weight: 0},
                  {targetGroupName: web, weight: 0}, {targetGroupName: nope, weight: 1000}],
                  stickiness: {enabled: true, duration: 8d}}}]"""))).containsExactly(
                new ConfigProblem(path + ".targetGroups[1].targetGroupName", "\"web\" appears twice (expected: each group once)"),
                new ConfigProblem(path + ".targetGroups[2].targetGroupName", "\"nope\" is not a target group (expected one of: web)"),
                new ConfigProblem(path + ".targetGroups[2].weight", "1000 (expected: 0-999)"),
                new ConfigProblem(path + ".stickiness.duration", "8d (expected: 1s-7d)"));
        assertThat(of(rule("[{field: path-pattern, values: [/a]}]", """
                [{type: forward, forwardConfig: {targetGroups: [{targetGroupName: web, weight: 0}]}}]"""))).containsExactly(
                new ConfigProblem(path + ".targetGroups", "every weight is 0 (expected: at least one weight above 0)"));
        assertThat(of(rule("[{field: path-pattern, values: [/a]}]", """
                [{type: forward, forwardConfig: {targetGroups: [{targetGroupName: web}, {targetGroupName: b},
                  {targetGroupName: c}, {targetGroupName: d}, {targetGroupName: e}, {targetGroupName: f}]}}]""")))
                .contains(new ConfigProblem(path + ".targetGroups", "6 target groups (expected: 1-5 target groups)"));
    }

    @Test
    void redirectsAndFixedResponsesAreChecked() {
        String body = "x".repeat(1025);
        assertThat(of(minimal("""
                        rules:
                          - priority: 1
                            conditions: [{field: path-pattern, values: [/a]}]
                            actions: [{type: redirect, redirectConfig: {protocol: FTP, port: "99999", path: new, statusCode: HTTP_303}}]
                          - priority: 2
                            conditions: [{field: path-pattern, values: [/b]}]
                            actions: [{type: redirect, redirectConfig: {query: "a=b", statusCode: HTTP_302}}]
                          - priority: 3
                            conditions: [{field: path-pattern, values: [/c]}]
                            actions: [{type: fixed-response, fixedResponseConfig: {statusCode: 100, messageBody: %s}}]
                """.formatted(body), ""))).containsExactly(
                new ConfigProblem(L0 + ".rules[0].actions[0].redirectConfig.protocol", "\"FTP\" (expected: HTTP, HTTPS or #{protocol})"),
                new ConfigProblem(L0 + ".rules[0].actions[0].redirectConfig.port", "\"99999\" (expected: a port 1-65535 or #{port})"),
                new ConfigProblem(L0 + ".rules[0].actions[0].redirectConfig.path", "\"new\" (expected: a path starting with /)"),
                new ConfigProblem(L0 + ".rules[0].actions[0].redirectConfig.statusCode", "303 (expected: HTTP_301 or HTTP_302)"),
                new ConfigProblem(L0 + ".rules[1].actions[0].redirectConfig",
                        "redirects to the same URL (expected: a change of protocol, host, port or path)"),
                new ConfigProblem(L0 + ".rules[2].actions[0].fixedResponseConfig.statusCode", "100 (expected: 200-599)"),
                new ConfigProblem(L0 + ".rules[2].actions[0].fixedResponseConfig.messageBody", "1025 bytes (expected: at most 1024)"));
    }

    @Test
    void targetsAreChecked() {
        assertThat(of("""
                targetGroups:
                  - name: web
                    targetType: lambda
                    targets: ["127.0.0.1:0", "bad host!:80", {id: 10.0.0.1, port: 80, weight: 0}, "10.0.0.1:80", "[::1]:70000", "10.0.0.2"]
                """)).containsExactly(
                new ConfigProblem(TG + ".targetType", "lambda is not supported yet (expected: ip or instance)"),
                new ConfigProblem(TG + ".targets[0].port", "missing (expected: a port 1-65535 on the target or on its group)"),
                new ConfigProblem(TG + ".targets[1].id", "\"bad host!\" (expected: an IP address or a host name)"),
                new ConfigProblem(TG + ".targets[2].weight", "0 (expected: 1-999)"),
                new ConfigProblem(TG + ".targets[3]", "10.0.0.1:80 is already targets[2] (expected: each target once)"),
                new ConfigProblem(TG + ".targets[4].port", "70000 is not a port 1-65535"),
                new ConfigProblem(TG + ".targets[5].port", "missing (expected: a port 1-65535 on the target or on its group)"));
    }

    @Test
    void healthChecksAreChecked() {
        assertThat(of("""
                targetGroups:
                  - {name: a, healthCheck: {interval: 50ms, timeout: 10ms, healthyThreshold: 1, unhealthyThreshold: 11, path: health}}
                  - {name: b, healthCheck: {interval: 301s, port: 70000}}
                  - {name: c, healthCheck: {interval: 1s, timeout: 1s}}
                """)).containsExactly(
                new ConfigProblem("targetGroups[0].healthCheck.path", "\"health\" (expected: a path starting with /)"),
                new ConfigProblem("targetGroups[0].healthCheck.interval", "50ms (expected: 100ms-5m)"),
                new ConfigProblem("targetGroups[0].healthCheck.timeout", "10ms (expected: at least 100ms)"),
                new ConfigProblem("targetGroups[0].healthCheck.healthyThreshold", "1 (expected: 2-10)"),
                new ConfigProblem("targetGroups[0].healthCheck.unhealthyThreshold", "11 (expected: 2-10)"),
                new ConfigProblem("targetGroups[1].healthCheck.port", "70000 is not a port 1-65535"),
                new ConfigProblem("targetGroups[1].healthCheck.interval", "301s (expected: 100ms-5m)"),
                new ConfigProblem("targetGroups[2].healthCheck.timeout", "1s (expected: less than the interval 1s)"));
    }

    @Test
    void targetGroupAttributesAreChecked() {
        assertThat(of("""
                targetGroups:
                  - name: a
                    attributes: {deregistrationDelay: 2h, slowStart: 10s, targetResponseTimeout: 0, connectTimeout: 0,
                                 stickiness: {type: app_cookie, duration: 0}, maxConnectionsPerTarget: -1, maxQueue: -1,
                                 queueTimeout: 0, passiveUnhealthyThreshold: 0}
                """)).containsExactly(
                new ConfigProblem("targetGroups[0].attributes.deregistrationDelay", "2h (expected: 0s-1h)"),
                new ConfigProblem("targetGroups[0].attributes.slowStart", "10s (expected: 0 to turn it off, or 30s-15m)"),
                new ConfigProblem("targetGroups[0].attributes.targetResponseTimeout", "0s (expected: more than 0, like 10s)"),
                new ConfigProblem("targetGroups[0].attributes.connectTimeout", "0s (expected: more than 0, like 10s)"),
                new ConfigProblem("targetGroups[0].attributes.stickiness.type", "\"app_cookie\" (expected: lb_cookie)"),
                new ConfigProblem("targetGroups[0].attributes.stickiness.duration", "0s (expected: 1s-7d)"),
                new ConfigProblem("targetGroups[0].attributes.maxConnectionsPerTarget", "-1 (expected: 0 for no limit, or more)"),
                new ConfigProblem("targetGroups[0].attributes.maxQueue", "-1 (expected: 0 or more)"),
                new ConfigProblem("targetGroups[0].attributes.queueTimeout", "0s (expected: more than 0, like 10s)"),
                new ConfigProblem("targetGroups[0].attributes.passiveUnhealthyThreshold", "0 (expected: at least 1)"));
    }

    @Test
    void loadBalancerTimeoutsMustBePositive() {
        assertThat(of("""
                loadBalancers: [{name: a, attributes: {idleTimeout: 0, clientHeaderTimeout: 0ms}}]
                """)).containsExactly(
                new ConfigProblem("loadBalancers[0].attributes.idleTimeout", "0s (expected: more than 0, like 10s)"),
                new ConfigProblem("loadBalancers[0].attributes.clientHeaderTimeout", "0s (expected: more than 0, like 10s)"));
    }

    @Test
    void algorithmsBindByTheirAlbNames() throws Exception {
        FulcrumConfig config = ConfigLoader.parse("""
                targetGroups: [{name: a, attributes: {algorithm: least_outstanding_requests}},
                               {name: b, attributes: {algorithm: weighted_random}}]
                """);
        assertThat(config.targetGroups()).extracting(group -> group.attributes().algorithm())
                .containsExactly(Algorithm.LEAST_OUTSTANDING_REQUESTS, Algorithm.WEIGHTED_RANDOM);
    }

    @Test
    void nullsInACodeBuiltConfigAreProblemsNotCrashes() {
        TargetGroup group = new TargetGroup(null, null, 0, null, List.of(new Target(null, 80, 1)),
                new HealthCheck(true, null, "/", 0, null, null, 2, 2, null),
                new TargetGroupAttributes(null, null, null, null, null, null, 0, 0, null, 1));
        assertThat(ConfigValidator.validate(new FulcrumConfig(List.of(), List.of(group)))).extracting(ConfigProblem::path)
                .containsExactly("targetGroups[0].name", "targetGroups[0].protocol", "targetGroups[0].targetType",
                        "targetGroups[0].targets[0].id", "targetGroups[0].healthCheck.protocol",
                        "targetGroups[0].healthCheck.interval", "targetGroups[0].healthCheck.timeout",
                        "targetGroups[0].healthCheck.matcher", "targetGroups[0].attributes.algorithm",
                        "targetGroups[0].attributes.deregistrationDelay", "targetGroups[0].attributes.slowStart",
                        "targetGroups[0].attributes.targetResponseTimeout", "targetGroups[0].attributes.connectTimeout",
                        "targetGroups[0].attributes.stickiness", "targetGroups[0].attributes.queueTimeout");
    }

    @Test
    void bindAddressesAreIpLiteralsOfEveryShapeButNoNames() {
        for (String address : List.of("0.0.0.0", "255.255.255.255", "::", "::1", "1::", "2001:db8::8a2e:370:7334",
                "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1", "64:ff9b::192.0.2.33")) {
            assertThat(ConfigValidator.validate(listenerOn(address))).as(address).isEmpty();
        }
        for (String address : List.of("", "localhost", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1:2:3:4:5:6:7",
                "1:2:3:4:5:6:7:8:9", "1::2::3", ":1:2:3:4:5:6:7", "12345::", "::g", "[::1]", "fe80::1%eth0")) {
            assertThat(ConfigValidator.validate(listenerOn(address))).as(address)
                    .extracting(ConfigProblem::path).containsExactly(L0 + ".bindAddress");
        }
    }

    private static FulcrumConfig listenerOn(String address) {
        Listener listener = new Listener(Protocol.HTTP, 8080, address, List.of(),
                List.of(new FixedResponseAction(200, null, null)), 1);
        return new FulcrumConfig(List.of(new LoadBalancer("web", null, List.of(listener))), List.of());
    }

    @Test
    void http2AndGrpcToTargetsOverTlsAreAccepted() {
        for (io.fulcrum.model.ProtocolVersion version : io.fulcrum.model.ProtocolVersion.values()) {
            TargetGroup group = new TargetGroup("web", Protocol.HTTPS, 0, TargetType.IP,
                    List.of(new Target("127.0.0.1", 9001, 1)), HealthCheck.DEFAULTS, TargetGroupAttributes.DEFAULTS,
                    version);
            assertThat(ConfigValidator.validate(new FulcrumConfig(List.of(), List.of(group)))).as(version.name()).isEmpty();
        }
    }
}
