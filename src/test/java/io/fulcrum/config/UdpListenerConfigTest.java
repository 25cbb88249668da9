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

/** UDP listeners and UDP / TCP_UDP target groups: what the binder fills in and what the validator refuses. */
class UdpListenerConfigTest {
    private static final String L0 = "loadBalancers[0].listeners[0]";

    private static String config(String listenerProtocol, String listenerExtra, String groupProtocol, String groupExtra) {
        return """
                loadBalancers:
                  - name: nlb
                    listeners:
                      - protocol: %s
                        port: 5353
                        bindAddress: 127.0.0.1
                %s
                        defaultActions: [{type: forward, targetGroupName: dns}]
                targetGroups:
                  - name: dns
                    protocol: %s
                    targets: ["127.0.0.1:6353"]
                %s
                """.formatted(listenerProtocol, listenerExtra, groupProtocol, groupExtra);
    }

    @Test
    void aUdpListenerGetsNlbsIdleTimeoutAndItsGroupTcpChecksAndFlowHash() throws Exception {
        FulcrumConfig config = ConfigLoader.parse(config("UDP", "", "UDP", ""));

        Listener listener = config.loadBalancers().get(0).listeners().get(0);
        assertThat(listener.protocol()).isEqualTo(Protocol.UDP);
        assertThat(listener.idleTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(listener.maxConnections()).isEqualTo(Listener.DEFAULT_MAX_CONNECTIONS);
        TargetGroup group = config.targetGroups().get(0);
        assertThat(group.healthCheck().protocol()).isEqualTo(HealthCheckProtocol.TCP);
        assertThat(group.attributes().algorithm()).isEqualTo(Algorithm.FLOW_HASH);
    }

    @Test
    void anIdleTimeoutAFlowLimitAndAnHttpCheckAreRead() throws Exception {
        FulcrumConfig config = ConfigLoader.parse(config("UDP", "        idleTimeout: 30s\n        maxConnections: 100",
                "TCP_UDP", "    healthCheck: {protocol: HTTP, port: 8080, path: /ready}"));

        Listener listener = config.loadBalancers().get(0).listeners().get(0);
        assertThat(listener.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(listener.maxConnections()).isEqualTo(100);
        assertThat(config.targetGroups().get(0).healthCheck().protocol()).isEqualTo(HealthCheckProtocol.HTTP);
        assertThat(config.targetGroups().get(0).attributes().algorithm()).isEqualTo(Algorithm.FLOW_HASH);
    }

    @Test
    void aUdpHealthCheckIsRefusedSayingWhichProtocolsCheckUdpTargets() {
        assertThat(of(config("UDP", "", "UDP", "    healthCheck: {protocol: UDP}"))).containsExactly(
                new ConfigProblem("targetGroups[0].healthCheck.protocol", "\"UDP\" (expected: TCP, HTTP or HTTPS:"
                        + " targets of UDP target groups are health-checked over TCP, HTTP or HTTPS, as NLB does, on"
                        + " the traffic port or the check's port)"));
    }

    @Test
    void aUdpListenerForwardsOnlyToUdpOrTcpUdpGroups() throws Exception {
        assertThat(of(config("UDP", "", "TCP", ""))).containsExactly(
                new ConfigProblem(L0 + ".defaultActions[0].forwardConfig.targetGroups[0].targetGroupName",
                        "\"dns\" is a TCP target group (expected: a UDP or TCP_UDP target group on a UDP listener)"));
        assertThat(of(config("UDP", "", "HTTP", ""))).containsExactly(
                new ConfigProblem(L0 + ".defaultActions[0].forwardConfig.targetGroups[0].targetGroupName",
                        "\"dns\" is a HTTP target group (expected: a UDP or TCP_UDP target group on a UDP listener)"));
        ConfigLoader.parse(config("UDP", "", "TCP_UDP", "")); // valid
    }

    @Test
    void tcpAndTlsListenersForwardToTcpUdpGroupsButNotToUdpOnes() throws Exception {
        assertThat(of(config("TCP", "", "UDP", ""))).containsExactly(
                new ConfigProblem(L0 + ".defaultActions[0].forwardConfig.targetGroups[0].targetGroupName",
                        "\"dns\" is a UDP target group (expected: a TCP, TLS or TCP_UDP target group on a TCP listener)"));
        ConfigLoader.parse(config("TCP", "", "TCP_UDP", "")); // valid
    }

    @Test
    void anHttpListenerRefusesUdpGroups() {
        assertThat(of(config("HTTP", "", "UDP", ""))).containsExactly(
                new ConfigProblem(L0 + ".defaultActions[0].forwardConfig.targetGroups[0].targetGroupName",
                        "\"dns\" is a UDP target group (expected: an HTTP or HTTPS target group; TCP, TLS, UDP and"
                                + " TCP_UDP groups are for TCP, TLS and UDP listeners)"));
    }

    @Test
    void aUdpListenerHasNoRulesNoAnswersNoCookiesAndNoCertificates() {
        String yaml = """
                loadBalancers:
                  - name: nlb
                    listeners:
                      - protocol: UDP
                        port: 5353
                        idleTimeout: 2h
                        sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
                        rules:
                          - priority: 1
                            conditions: [{field: path-pattern, values: ["/x"]}]
                            actions: [{type: forward, targetGroupName: dns}]
                        defaultActions:
                          - type: forward
                            forwardConfig:
                              targetGroups: [{targetGroupName: dns}]
                              stickiness: {enabled: true, duration: 1h}
                      - protocol: UDP
                        port: 5354
                        defaultActions: [{type: fixed-response, fixedResponseConfig: {statusCode: 200}}]
                targetGroups:
                  - name: dns
                    protocol: UDP
                    targets: ["127.0.0.1:6353"]
                    attributes: {proxyProtocolV2: true, stickiness: {enabled: true}}
                """;
        assertThat(of(yaml)).containsExactly(
                new ConfigProblem(L0 + ".sslPolicy", "\"ELBSecurityPolicy-TLS13-1-2-2021-06\" (expected: none: only"
                        + " HTTPS and TLS listeners have a security policy)"),
                new ConfigProblem(L0 + ".idleTimeout", "2h (expected: 1s-100m)"),
                new ConfigProblem(L0 + ".rules", "1 rules (expected: none: a UDP listener sends every connection to"
                        + " its defaultActions, as NLB)"),
                new ConfigProblem(L0 + ".defaultActions[0].forwardConfig.stickiness.enabled",
                        "true (expected: false: a UDP listener has no cookies)"),
                new ConfigProblem("loadBalancers[0].listeners[1].defaultActions[0].type",
                        "fixed-response (expected: forward: a UDP listener cannot answer by itself)"),
                new ConfigProblem("targetGroups[0].attributes.proxyProtocolV2", "true is for TCP, TLS and TCP_UDP target"
                        + " groups (expected: false; a datagram has no header to carry the client's address, as on NLB)"),
                new ConfigProblem("targetGroups[0].attributes.stickiness.enabled", "true (expected: false: lb_cookie"
                        + " stickiness needs HTTP; use algorithm flow_hash to keep a flow on one target)"));
    }

    @Test
    void aTcpAndAUdpListenerShareAPortButTwoUdpListenersDoNot() throws Exception {
        String yaml = """
                loadBalancers:
                  - name: nlb
                    listeners:
                      - {protocol: TCP, port: 53, bindAddress: 127.0.0.1, defaultActions: [{type: forward, targetGroupName: dns}]}
                      - {protocol: UDP, port: 53, bindAddress: 127.0.0.1, defaultActions: [{type: forward, targetGroupName: dns}]}
                %s
                targetGroups:
                  - {name: dns, protocol: TCP_UDP, targets: ["127.0.0.1:5300"]}
                """;
        ConfigLoader.parse(yaml.formatted("")); // valid: TCP and UDP ports are apart
        assertThat(of(yaml.formatted("      - {protocol: UDP, port: 53, defaultActions: [{type: forward,"
                + " targetGroupName: dns}]}"))).containsExactly(new ConfigProblem("loadBalancers[0].listeners[2].port",
                "0.0.0.0 port 53 is already used by loadBalancers[0].listeners[1] (expected: a unique address and port)"));
    }

    @Test
    void theReferencesUdpExampleIsValid() throws Exception {
        String markdown = java.nio.file.Files.readString(java.nio.file.Path.of("docs/config.md"));
        int section = markdown.indexOf("## UDP listeners");
        int start = markdown.indexOf("```yaml\n", section) + "```yaml\n".length();
        String yaml = markdown.substring(start, markdown.indexOf("```", start));

        FulcrumConfig config = ConfigLoader.parse(yaml);
        assertThat(config.loadBalancers().get(0).listeners()).extracting(Listener::protocol)
                .containsExactly(Protocol.UDP, Protocol.TCP);
        assertThat(config.targetGroups().get(0).protocol()).isEqualTo(Protocol.TCP_UDP);
    }

    @Test
    void aTcpUdpListenerIsNotSupportedYetAndSaysWhatDoesTheSame() {
        assertThat(of(config("TCP_UDP", "", "TCP_UDP", ""))).containsExactly(
                new ConfigProblem(L0 + ".protocol", "TCP_UDP is not supported yet (expected: HTTP, HTTPS, TCP, TLS or"
                        + " UDP; a TCP and a UDP listener on the same port, both forwarding to a TCP_UDP target group,"
                        + " do the same)"));
    }
}
