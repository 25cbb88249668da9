package io.fulcrum.config;

import static io.fulcrum.config.ConfigProblems.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.model.Algorithm;
import io.fulcrum.model.ConfigProblem;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.HealthCheckProtocol;
import io.fulcrum.model.Listener;
import io.fulcrum.model.Protocol;
import io.fulcrum.model.TargetGroup;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** TCP listeners and TCP target groups: what the binder fills in and what the validator refuses. */
class TcpListenerConfigTest {
    private static final String L0 = "loadBalancers[0].listeners[0]";

    private static String config(String listenerProtocol, String listenerExtra, String groupProtocol, String groupExtra) {
        return """
                loadBalancers:
                  - name: nlb
                    listeners:
                      - protocol: %s
                        port: 5432
                        bindAddress: 127.0.0.1
                %s
                        defaultActions: [{type: forward, targetGroupName: db}]
                targetGroups:
                  - name: db
                    protocol: %s
                    targets: ["127.0.0.1:6432"]
                %s
                """.formatted(listenerProtocol, listenerExtra, groupProtocol, groupExtra);
    }

    @Test
    void aTcpListenerGetsNlbsDefaultsAndItsGroupTcpChecks() throws Exception {
        FulcrumConfig config = ConfigLoader.parse(config("TCP", "", "TCP",
                "    attributes: {algorithm: flow_hash, proxyProtocolV2: true}"));

        Listener listener = config.loadBalancers().get(0).listeners().get(0);
        assertThat(listener.protocol()).isEqualTo(Protocol.TCP);
        assertThat(listener.idleTimeout()).isEqualTo(Duration.ofSeconds(350));
        TargetGroup group = config.targetGroups().get(0);
        assertThat(group.healthCheck().protocol()).isEqualTo(HealthCheckProtocol.TCP);
        assertThat(group.attributes().algorithm()).isEqualTo(Algorithm.FLOW_HASH);
        assertThat(group.attributes().proxyProtocolV2()).isTrue();
    }

    @Test
    void anIdleTimeoutIsReadAndAnHttpCheckOnATcpGroupIsKept() throws Exception {
        FulcrumConfig config = ConfigLoader.parse(config("TCP", "        idleTimeout: 1h", "TCP",
                "    healthCheck: {protocol: HTTP, path: /ready}"));

        assertThat(config.loadBalancers().get(0).listeners().get(0).idleTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(config.targetGroups().get(0).healthCheck().protocol()).isEqualTo(HealthCheckProtocol.HTTP);
    }

    @Test
    void aTcpListenerForwardsOnlyToATcpGroupWithNoRules() {
        String yaml = """
                loadBalancers:
                  - name: nlb
                    listeners:
                      - protocol: TCP
                        port: 5432
                        idleTimeout: 2h
                        rules:
                          - {priority: 1, conditions: [{field: path-pattern, values: ["/x"]}], actions: [{type: forward, targetGroupName: web}]}
                        defaultActions: [{type: forward, targetGroupName: web}]
                      - protocol: TCP
                        port: 5433
                        defaultActions: [{type: fixed-response, fixedResponseConfig: {statusCode: 200}}]
                      - protocol: TCP
                        port: 5434
                        defaultActions:
                          - type: forward
                            forwardConfig:
                              targetGroups: [{targetGroupName: db}, {targetGroupName: db2}]
                              stickiness: {enabled: true, duration: 1h}
                targetGroups:
                  - {name: web, protocol: HTTP, targets: ["127.0.0.1:8080"]}
                  - {name: db, protocol: TCP, targets: ["127.0.0.1:6432"]}
                  - {name: db2, protocol: TCP, targets: ["127.0.0.1:6433"]}
                """;
        assertThat(of(yaml)).containsExactly(
                new ConfigProblem(L0 + ".idleTimeout", "2h (expected: 1s-100m)"),
                new ConfigProblem(L0 + ".rules", "1 rules (expected: none: a TCP listener sends every connection to"
                        + " its defaultActions, as NLB)"),
                new ConfigProblem(L0 + ".defaultActions[0].forwardConfig.targetGroups[0].targetGroupName",
                        "\"web\" is a HTTP target group (expected: a TCP, TLS or TCP_UDP target group on a TCP listener)"),
                new ConfigProblem("loadBalancers[0].listeners[1].defaultActions[0].type",
                        "fixed-response (expected: forward: a TCP listener cannot answer by itself)"),
                new ConfigProblem("loadBalancers[0].listeners[2].defaultActions[0].forwardConfig.targetGroups",
                        "2 target groups (expected: one on a TCP listener)"),
                new ConfigProblem("loadBalancers[0].listeners[2].defaultActions[0].forwardConfig.stickiness.enabled",
                        "true (expected: false: a TCP listener has no cookies)"));
    }

    @Test
    void anHttpListenerMustNotForwardToATcpGroupNorHaveAnIdleTimeout() {
        assertThat(of(config("HTTP", "        idleTimeout: 10m", "TCP", ""))).containsExactly(
                new ConfigProblem(L0 + ".idleTimeout", "10m is only used by TCP, TLS and UDP listeners (expected:"
                        + " none; HTTP listeners use the load balancer's attributes.idleTimeout)"),
                new ConfigProblem(L0 + ".defaultActions[0].forwardConfig.targetGroups[0].targetGroupName",
                        "\"db\" is a TCP target group (expected: an HTTP or HTTPS target group; TCP, TLS, UDP and TCP_UDP groups"
                                + " are for TCP, TLS and UDP listeners)"));
    }

    @Test
    void tcpOnlyAttributesAreRefusedOnHttpGroupsAndCookiesOnTcpGroups() {
        assertThat(of(config("HTTP", "", "HTTP", "    attributes: {algorithm: flow_hash, proxyProtocolV2: true}")))
                .containsExactly(
                        new ConfigProblem("targetGroups[0].attributes.algorithm", "flow_hash is for TCP, TLS, UDP and"
                                + " TCP_UDP target groups (expected: round_robin, least_outstanding_requests or"
                                + " weighted_random)"),
                        new ConfigProblem("targetGroups[0].attributes.proxyProtocolV2", "true is for TCP, TLS and TCP_UDP"
                                + " target groups (expected: false; HTTP targets get X-Forwarded-For)"));
        // HTTPS groups are HTTP groups too
        assertThat(of(config("HTTP", "", "HTTPS", "    attributes: {algorithm: flow_hash}"))).containsExactly(
                new ConfigProblem("targetGroups[0].attributes.algorithm", "flow_hash is for TCP, TLS, UDP and"
                        + " TCP_UDP target groups (expected: round_robin, least_outstanding_requests or"
                        + " weighted_random)"));
        assertThat(of(config("TCP", "", "TCP", "    attributes: {stickiness: {enabled: true}}"))).containsExactly(
                new ConfigProblem("targetGroups[0].attributes.stickiness.enabled", "true (expected: false: lb_cookie"
                        + " stickiness needs HTTP; use algorithm flow_hash to keep a flow on one target)"));
    }

    @Test
    void theExampleOfTheReferenceLoads() throws Exception {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("docs/config.md"));
        int start = doc.indexOf("```yaml\n", doc.indexOf("## TCP listeners")) + "```yaml\n".length();
        FulcrumConfig config = ConfigLoader.parse(doc.substring(start, doc.indexOf("```", start)));

        assertThat(config.loadBalancers().get(0).listeners().get(0).protocol()).isEqualTo(Protocol.TCP);
        assertThat(config.targetGroups().get(0).attributes().algorithm()).isEqualTo(Algorithm.FLOW_HASH);
    }
}
