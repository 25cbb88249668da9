package io.fulcrum.config;

import static io.fulcrum.config.ConfigProblems.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.model.ConfigProblem;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.HealthCheckProtocol;
import io.fulcrum.model.Listener;
import io.fulcrum.model.ListenerCertificate;
import io.fulcrum.model.Protocol;
import io.fulcrum.tls.SelfSignedCertificate;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS listeners (NLB's): the TCP listener rules plus the HTTPS listener's certificates and policy. */
class TlsListenerConfigTest {
    private static final String L0 = "loadBalancers[0].listeners[0]";

    @TempDir
    Path dir;

    @BeforeEach
    void certificate() throws Exception {
        SelfSignedCertificate.generate(List.of("db.test"), Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(1)), SelfSignedCertificate.KeyType.EC, true)
                .write(dir.resolve("db.crt"), dir.resolve("db.key"));
    }

    private static String tls(String listenerExtra, String groupProtocol) {
        return """
                loadBalancers:
                  - name: nlb
                    listeners:
                      - protocol: TLS
                        port: 5432
                        bindAddress: 127.0.0.1
                %s
                        defaultActions: [{type: forward, targetGroupName: db}]
                targetGroups:
                  - {name: db, protocol: %s, targets: ["127.0.0.1:6432"]}
                """.formatted(listenerExtra, groupProtocol);
    }

    @Test
    void aTlsListenerGetsNlbsIdleTimeoutTheDefaultPolicyAndItsFilesResolved() throws Exception {
        FulcrumConfig config = ConfigLoader.parse(tls("""
                        certificates: [{certificateFile: db.crt, keyFile: db.key}]
                """, "TCP"), dir);
        Listener listener = config.loadBalancers().get(0).listeners().get(0);
        assertThat(listener.protocol()).isEqualTo(Protocol.TLS);
        assertThat(listener.idleTimeout()).isEqualTo(Duration.ofSeconds(350));
        assertThat(listener.sslPolicy()).isEqualTo("ELBSecurityPolicy-TLS13-1-2-2021-06");
        assertThat(listener.certificates()).containsExactly(new ListenerCertificate(
                dir.resolve("db.crt").toString(), dir.resolve("db.key").toString()));
    }

    @Test
    void theWriterWritesWhatTheBinderReads() throws Exception {
        FulcrumConfig config = ConfigLoader.parse(tls("""
                        idleTimeout: 20m
                        sslPolicy: ELBSecurityPolicy-TLS13-1-3-2021-06
                        certificates: [{certificateFile: db.crt, keyFile: db.key}]
                """, "TCP"), dir);
        String written = ConfigWriter.toYaml(config);
        assertThat(ConfigLoader.parse(written)).isEqualTo(config);
    }

    @Test
    void aTlsListenerNeedsACertificateAndAKnownPolicy() {
        assertThat(of(tls("", "TCP"))).containsExactly(new ConfigProblem(L0 + ".certificates",
                "empty (expected: at least one {certificateFile, keyFile}: a TLS listener needs a default certificate)"));
        assertThat(of(tls("""
                        sslPolicy: ELBSecurityPolicy-TLS13-1-3-2021-6
                        certificates: [{certificateFile: db.crt, keyFile: db.key}]
                """, "TCP").replace("db.crt", dir.resolve("db.crt").toString())
                .replace("db.key", dir.resolve("db.key").toString()))).containsExactly(new ConfigProblem(
                L0 + ".sslPolicy", "\"ELBSecurityPolicy-TLS13-1-3-2021-6\" (did you mean"
                        + " 'ELBSecurityPolicy-TLS13-1-3-2021-06'?)"));
    }

    @Test
    void aMissingCertificateFileIsNamed() {
        List<ConfigProblem> problems = of(tls("""
                        certificates: [{certificateFile: %s, keyFile: %s}]
                """.formatted(dir.resolve("missing.crt"), dir.resolve("db.key")), "TCP"));
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).path()).isEqualTo(L0 + ".certificates[0].certificateFile");
        assertThat(problems.get(0).message()).contains("missing.crt");
    }

    @Test
    void aTlsListenerForwardsOnlyToOneTcpGroupWithNoRulesAndNoCookies() {
        String certificates = "{certificateFile: " + dir.resolve("db.crt") + ", keyFile: " + dir.resolve("db.key") + "}";
        String yaml = """
                loadBalancers:
                  - name: nlb
                    listeners:
                      - protocol: TLS
                        port: 5432
                        idleTimeout: 2h
                        certificates: [%1$s]
                        rules:
                          - {priority: 1, conditions: [{field: path-pattern, values: ["/x"]}], actions: [{type: forward, targetGroupName: web}]}
                        defaultActions: [{type: forward, targetGroupName: web}]
                      - protocol: TLS
                        port: 5433
                        certificates: [%1$s]
                        defaultActions: [{type: redirect, redirectConfig: {protocol: HTTPS, statusCode: HTTP_301}}]
                      - protocol: TLS
                        port: 5434
                        certificates: [%1$s]
                        defaultActions:
                          - type: forward
                            forwardConfig:
                              targetGroups: [{targetGroupName: db}, {targetGroupName: db2}]
                              stickiness: {enabled: true, duration: 1h}
                targetGroups:
                  - {name: web, protocol: HTTP, targets: ["127.0.0.1:8080"]}
                  - {name: db, protocol: TCP, targets: ["127.0.0.1:6432"]}
                  - {name: db2, protocol: TCP, targets: ["127.0.0.1:6433"]}
                """.formatted(certificates);
        assertThat(of(yaml)).containsExactly(
                new ConfigProblem(L0 + ".idleTimeout", "2h (expected: 1s-100m)"),
                new ConfigProblem(L0 + ".rules", "1 rules (expected: none: a TLS listener sends every connection to"
                        + " its defaultActions, as NLB)"),
                new ConfigProblem(L0 + ".defaultActions[0].forwardConfig.targetGroups[0].targetGroupName",
                        "\"web\" is a HTTP target group (expected: a TCP, TLS or TCP_UDP target group on a TLS listener)"),
                new ConfigProblem("loadBalancers[0].listeners[1].defaultActions[0].type",
                        "redirect (expected: forward: a TLS listener cannot answer by itself)"),
                new ConfigProblem("loadBalancers[0].listeners[2].defaultActions[0].forwardConfig.targetGroups",
                        "2 target groups (expected: one on a TLS listener)"),
                new ConfigProblem("loadBalancers[0].listeners[2].defaultActions[0].forwardConfig.stickiness.enabled",
                        "true (expected: false: a TLS listener has no cookies)"));
    }

    @Test
    void theExampleOfTheReferenceLoads() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("certs"));
        SelfSignedCertificate.generate(List.of("db.example.test"), Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(1)), SelfSignedCertificate.KeyType.RSA, false)
                .write(dir.resolve("certs/db.example.crt"), dir.resolve("certs/db.example.key"));
        String doc = java.nio.file.Files.readString(Path.of("docs/config.md"));
        int start = doc.indexOf("```yaml\n", doc.indexOf("## TLS listeners")) + "```yaml\n".length();
        FulcrumConfig config = ConfigLoader.parse(doc.substring(start, doc.indexOf("```", start)), dir);

        Listener listener = config.loadBalancers().get(0).listeners().get(0);
        assertThat(listener.protocol()).isEqualTo(Protocol.TLS);
        assertThat(listener.certificates()).hasSize(1);
        assertThat(config.targetGroups().get(0).attributes().proxyProtocolV2()).isTrue();
    }

    @Test
    void tcpListenersHaveNoCertificatesButMayForwardToATlsGroup() {
        String yaml = """
                loadBalancers:
                  - name: nlb
                    listeners:
                      - protocol: TCP
                        port: 5432
                        sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
                        certificates: [{certificateFile: a.crt, keyFile: a.key}]
                        defaultActions: [{type: forward, targetGroupName: db}]
                targetGroups:
                  - {name: db, protocol: TLS, targets: ["127.0.0.1:6432"]}
                """;
        assertThat(of(yaml)).containsExactly(
                new ConfigProblem(L0 + ".certificates", "1 certificate (expected: none: only HTTPS and TLS listeners"
                        + " have certificates)"),
                new ConfigProblem(L0 + ".sslPolicy", "\"ELBSecurityPolicy-TLS13-1-2-2021-06\" (expected: none: only"
                        + " HTTPS and TLS listeners have a security policy)"));
    }

    @Test
    void aTlsGroupIsCheckedByTcpByDefaultMayBeCheckedOverHttpsAndServesNoHttpListener() throws Exception {
        String yaml = """
                loadBalancers:
                  - name: nlb
                    listeners:
                      - {protocol: HTTP, port: 8080, defaultActions: [{type: forward, targetGroupName: db}]}
                targetGroups:
                  - {name: db, protocol: TLS, targets: ["127.0.0.1:6432"], protocolVersion: HTTP2}
                  - {name: checked, protocol: TLS, targets: ["127.0.0.1:6433"],
                     healthCheck: {protocol: HTTPS, path: /ready}, attributes: {verifyTargetCertificate: true,
                     proxyProtocolV2: true, algorithm: flow_hash}}
                """;
        assertThat(of(yaml)).containsExactly(
                new ConfigProblem(L0 + ".defaultActions[0].forwardConfig.targetGroups[0].targetGroupName",
                        "\"db\" is a TLS target group (expected: an HTTP or HTTPS target group; TCP, TLS, UDP and"
                                + " TCP_UDP groups are for TCP, TLS and UDP listeners)"),
                new ConfigProblem("targetGroups[0].protocolVersion", "HTTP2 (expected: none: a TLS target group"
                        + " carries bytes, not HTTP; protocolVersion is for HTTP and HTTPS groups)"));

        FulcrumConfig config = ConfigLoader.parse("""
                targetGroups:
                  - {name: db, protocol: TLS, targets: ["127.0.0.1:6432"]}
                  - {name: checked, protocol: TLS, targets: ["127.0.0.1:6433"], healthCheck: {protocol: HTTPS, path: /ready}}
                """, dir);
        assertThat(config.targetGroups().get(0).healthCheck().protocol()).isEqualTo(HealthCheckProtocol.TCP);
        assertThat(config.targetGroups().get(1).healthCheck().protocol()).isEqualTo(HealthCheckProtocol.HTTPS);
    }
}
