package io.fulcrum.config;

import io.fulcrum.model.Algorithm;
import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.Condition;
import io.fulcrum.model.ConditionField;
import io.fulcrum.model.FixedResponseAction;
import io.fulcrum.model.ForwardAction;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.HealthCheck;
import io.fulcrum.model.HealthCheckProtocol;
import io.fulcrum.model.Listener;
import io.fulcrum.model.LoadBalancer;
import io.fulcrum.model.LoadBalancerAttributes;
import io.fulcrum.model.Protocol;
import io.fulcrum.model.ProtocolVersion;
import io.fulcrum.model.RedirectAction;
import io.fulcrum.model.Rule;
import io.fulcrum.model.StatusMatcher;
import io.fulcrum.model.Stickiness;
import io.fulcrum.model.Target;
import io.fulcrum.model.TargetGroup;
import io.fulcrum.model.TargetGroupAttributes;
import io.fulcrum.model.TargetType;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigLoaderValidTest {
    /** DESIGN.md's example without the HTTPS listener, launch templates and auto scaling groups. */
    private static final String DESIGN_EXAMPLE = """
            loadBalancers:
              - name: web
                attributes: {idleTimeout: 60s, clientHeaderTimeout: 10s}
                listeners:
                  - protocol: HTTP
                    port: 8080
                    bindAddress: 127.0.0.1
                    rules:
                      - priority: 10
                        conditions:
                          - {field: path-pattern, values: ["/api/*"]}
                          - {field: http-header, httpHeaderName: X-Canary, values: ["on"]}
                        actions:
                          - type: forward
                            forwardConfig:
                              targetGroups: [{targetGroupName: api, weight: 90}, {targetGroupName: api-canary, weight: 10}]
                              stickiness: {enabled: true, duration: 1h}
                      - priority: 20
                        conditions: [{field: path-pattern, values: ["/old/*"]}]
                        actions:
                          - type: redirect
                            redirectConfig: {protocol: HTTPS, port: "8443", path: "/new/#{path}", statusCode: HTTP_301}
                    defaultActions: [{type: forward, targetGroupName: web}]
            targetGroups:
              - name: web
                protocol: HTTP
                targetType: ip
                targets:
                  - {id: 127.0.0.1, port: 9001}
                  - {id: 127.0.0.1, port: 9002, weight: 2}
                healthCheck: {protocol: HTTP, path: /health, interval: 5s, timeout: 2s,
                              healthyThreshold: 3, unhealthyThreshold: 2, matcher: "200-299"}
                attributes: {algorithm: round_robin, deregistrationDelay: 30s, slowStart: 0s,
                             targetResponseTimeout: 60s, stickiness: {enabled: false, type: lb_cookie, duration: 1d}}
              - name: api
                targets: ["127.0.0.1:9101"]
              - name: api-canary
                targets: ["[::1]:9201"]
            """;

    @Test
    void designExampleBindsToTheExpectedRecords() throws Exception {
        FulcrumConfig config = ConfigLoader.parse(DESIGN_EXAMPLE);

        Listener listener = new Listener(Protocol.HTTP, 8080, "127.0.0.1", List.of(
                new Rule(10, List.of(
                        new Condition(ConditionField.PATH_PATTERN, List.of("/api/*"), null, List.of()),
                        new Condition(ConditionField.HTTP_HEADER, List.of("on"), "X-Canary", List.of())),
                        List.of(new ForwardAction(List.of(
                                new ForwardAction.TargetGroupWeight("api", 90),
                                new ForwardAction.TargetGroupWeight("api-canary", 10)),
                                new ForwardAction.GroupStickiness(true, Duration.ofHours(1))))),
                new Rule(20, List.of(new Condition(ConditionField.PATH_PATTERN, List.of("/old/*"), null, List.of())),
                        List.of(new RedirectAction("HTTPS", null, "8443", "/new/#{path}", null, 301)))),
                List.of(ForwardAction.to("web")), Listener.DEFAULT_MAX_CONNECTIONS);
        assertThat(config.loadBalancers()).containsExactly(new LoadBalancer("web",
                new LoadBalancerAttributes(Duration.ofSeconds(60), Duration.ofSeconds(10)), List.of(listener)));

        TargetGroup web = new TargetGroup("web", Protocol.HTTP, 0, TargetType.IP,
                List.of(new Target("127.0.0.1", 9001, 1), new Target("127.0.0.1", 9002, 2)),
                new HealthCheck(true, HealthCheckProtocol.HTTP, "/health", HealthCheck.TRAFFIC_PORT,
                        Duration.ofSeconds(5), Duration.ofSeconds(2), 3, 2, StatusMatcher.parse("200-299")),
                new TargetGroupAttributes(Algorithm.ROUND_ROBIN, Duration.ofSeconds(30), Duration.ZERO,
                        Duration.ofSeconds(60), TargetGroupAttributes.DEFAULT_CONNECT_TIMEOUT,
                        new Stickiness(false, "lb_cookie", Duration.ofDays(1)), 0,
                        TargetGroupAttributes.DEFAULT_MAX_QUEUE, TargetGroupAttributes.DEFAULT_QUEUE_TIMEOUT,
                        TargetGroupAttributes.DEFAULT_PASSIVE_UNHEALTHY_THRESHOLD));
        assertThat(config.targetGroups()).containsExactly(web,
                new TargetGroup("api", Protocol.HTTP, 0, TargetType.IP, List.of(new Target("127.0.0.1", 9101, 1)),
                        HealthCheck.DEFAULTS, TargetGroupAttributes.DEFAULTS),
                new TargetGroup("api-canary", Protocol.HTTP, 0, TargetType.IP, List.of(new Target("::1", 9201, 1)),
                        HealthCheck.DEFAULTS, TargetGroupAttributes.DEFAULTS));
    }

    @Test
    void omittedKeysTakeTheModelDefaults() throws Exception {
        FulcrumConfig config = ConfigLoader.parse("""
                loadBalancers:
                  - name: a
                    listeners: [{port: 80, defaultActions: [{type: forward, targetGroupName: g}]}]
                targetGroups:
                  - {name: g, port: 9000, targets: [127.0.0.1, {id: "::1"}], healthCheck: {port: traffic-port}}
                """);

        LoadBalancer lb = config.loadBalancers().get(0);
        assertThat(lb.attributes()).isEqualTo(LoadBalancerAttributes.DEFAULTS);
        Listener listener = lb.listeners().get(0);
        assertThat(listener.protocol()).isEqualTo(Protocol.HTTP);
        assertThat(listener.bindAddress()).isEqualTo(Listener.DEFAULT_BIND_ADDRESS);
        assertThat(listener.maxConnections()).isEqualTo(Listener.DEFAULT_MAX_CONNECTIONS);
        assertThat(listener.rules()).isEmpty();
        TargetGroup group = config.targetGroup("g");
        assertThat(group.targets()).as("targets without a port take the group's")
                .containsExactly(new Target("127.0.0.1", 9000, 1), new Target("::1", 9000, 1));
        assertThat(group.healthCheck()).isEqualTo(HealthCheck.DEFAULTS);
        assertThat(group.attributes()).isEqualTo(TargetGroupAttributes.DEFAULTS);
        assertThat(group.targetType()).isEqualTo(TargetType.IP);
    }

    @Test
    void everyConditionAndActionFormBinds() throws Exception {
        FulcrumConfig config = ConfigLoader.parse("""
                loadBalancers:
                  - name: a
                    listeners:
                      - port: 80
                        maxConnections: 5
                        rules:
                          - priority: 1
                            conditions:
                              - {field: host-header, values: [example.com, "*.example.org"]}
                              - {field: http-request-method, values: [GET, HEAD]}
                              - {field: source-ip, values: [10.0.0.0/8, "2001:db8::/32"]}
                              - {field: query-string, queryStringValues: [{key: v, value: "2"}, {value: beta}]}
                            actions:
                              - {type: fixed-response, fixedResponseConfig: {statusCode: "503", messageBody: busy}}
                          - priority: 2
                            conditions: [{field: path-pattern, values: [/x]}]
                            actions: [{type: redirect, redirectConfig: {host: example.com, statusCode: HTTP_302}}]
                        defaultActions: [{type: fixed-response, fixedResponseConfig: {statusCode: 404}}]
                """);

        Listener listener = config.loadBalancers().get(0).listeners().get(0);
        assertThat(listener.maxConnections()).isEqualTo(5);
        assertThat(listener.rules().get(0).conditions()).containsExactly(
                new Condition(ConditionField.HOST_HEADER, List.of("example.com", "*.example.org"), null, List.of()),
                new Condition(ConditionField.HTTP_REQUEST_METHOD, List.of("GET", "HEAD"), null, List.of()),
                new Condition(ConditionField.SOURCE_IP, List.of("10.0.0.0/8", "2001:db8::/32"), null, List.of()),
                new Condition(ConditionField.QUERY_STRING, List.of(), null,
                        List.of(new Condition.KeyValue("v", "2"), new Condition.KeyValue(null, "beta"))));
        assertThat(listener.rules().get(0).actions())
                .containsExactly(new FixedResponseAction(503, "text/plain", "busy"));
        assertThat(listener.rules().get(1).actions())
                .containsExactly(new RedirectAction(null, "example.com", null, null, null, 302));
        assertThat(listener.defaultActions()).containsExactly(new FixedResponseAction(404, null, null));
    }

    @Test
    void aGrpcGroupTakesAlbsGrpcHealthCheckDefaults() throws Exception {
        FulcrumConfig config = ConfigLoader.parse("""
                targetGroups:
                  - name: g
                    protocolVersion: GRPC
                  - name: h
                    protocolVersion: GRPC
                    healthCheck: {path: /grpc.health.v1.Health/Check, matcher: "0-2,12"}
                  - name: i
                    protocolVersion: HTTP2
                """);
        HealthCheck g = config.targetGroups().get(0).healthCheck();
        assertThat(config.targetGroups().get(0).protocolVersion()).isEqualTo(ProtocolVersion.GRPC);
        assertThat(g).isEqualTo(HealthCheck.GRPC_DEFAULTS);
        assertThat(g.path()).isEqualTo("/AWS.ALB/healthcheck");
        assertThat(g.matcher().matches(12)).isTrue();
        assertThat(g.matcher().matches(0)).isFalse();
        HealthCheck h = config.targetGroups().get(1).healthCheck();
        assertThat(h.grpc()).isTrue();
        assertThat(h.matcher().matches(1)).isTrue();
        assertThat(h.matcher().matches(12)).isTrue();
        assertThat(h.matcher().matches(5)).isFalse();
        assertThat(config.targetGroups().get(2).protocolVersion()).isEqualTo(ProtocolVersion.HTTP2);
        assertThat(config.targetGroups().get(2).healthCheck()).isEqualTo(HealthCheck.DEFAULTS);
    }

    @Test
    void durationsTakeEveryUnitAndABareZero() throws Exception {
        FulcrumConfig config = ConfigLoader.parse("""
                targetGroups:
                  - name: g
                    healthCheck: {interval: 1m, timeout: 500ms}
                    attributes: {deregistrationDelay: 0, slowStart: 30s, targetResponseTimeout: 1h,
                                 stickiness: {enabled: true, duration: 7d}}
                """);

        TargetGroup group = config.targetGroup("g");
        assertThat(group.healthCheck().interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(group.healthCheck().timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(group.attributes().deregistrationDelay()).isEqualTo(Duration.ZERO);
        assertThat(group.attributes().slowStart()).isEqualTo(Duration.ofSeconds(30));
        assertThat(group.attributes().targetResponseTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(group.attributes().stickiness()).isEqualTo(new Stickiness(true, "lb_cookie", Duration.ofDays(7)));
    }

    @Test
    void anEmptyFileIsAnEmptyConfig() throws Exception {
        assertThat(ConfigLoader.parse("# nothing yet\n")).isEqualTo(new FulcrumConfig(List.of(), List.of()));
    }

    @Test
    void theShippedExampleLoads(@org.junit.jupiter.api.io.TempDir Path copy) throws Exception {
        // as `./fulcrum example` does on its first run: a certificate beside the example, for its HTTPS listener
        Path example = copy.resolve("examples/fulcrum.yaml");
        java.nio.file.Files.createDirectories(example.getParent());
        java.nio.file.Files.copy(Path.of("examples/fulcrum.yaml"), example);
        Path certificates = copy.resolve(".fulcrum/example-cert");
        io.fulcrum.tls.SelfSignedCertificate.generate(List.of("example.test"), java.time.Instant.now(),
                        java.time.Instant.now().plus(Duration.ofDays(1)), io.fulcrum.tls.SelfSignedCertificate.KeyType.EC, true)
                .write(certificates.resolve("example.test.crt"), certificates.resolve("example.test.key"));
        FulcrumConfig config = ConfigLoader.load(example);

        Listener listener = config.loadBalancers().get(0).listeners().get(0);
        assertThat(config.loadBalancers().get(0).name()).isEqualTo("web");
        assertThat(listener.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(listener.port()).isEqualTo(8080);
        assertThat(listener.defaultActions()).containsExactly(ForwardAction.to("web"));
        assertThat(listener.rules()).containsExactly(new Rule(10,
                List.of(new Condition(ConditionField.PATH_PATTERN, List.of("/fulcrum/ping"), null, List.of())),
                List.of(new FixedResponseAction(200, "text/plain", "pong"))), new Rule(20,
                List.of(new Condition(ConditionField.PATH_PATTERN, List.of("/secure/*"), null, List.of())),
                List.of(new RedirectAction("HTTPS", null, "8443", null, null, 301))));
        Listener https = config.loadBalancers().get(0).listeners().get(1);
        assertThat(https.protocol()).isEqualTo(io.fulcrum.model.Protocol.HTTPS);
        assertThat(https.port()).isEqualTo(8443);
        assertThat(https.certificates()).containsExactly(new io.fulcrum.model.ListenerCertificate(
                certificates.resolve("example.test.crt").toString(), certificates.resolve("example.test.key").toString()));
        TargetGroup web = config.targetGroup("web");
        assertThat(web.targets()).isEmpty(); // the auto scaling group registers its instances
        assertThat(web.healthCheck()).isEqualTo(new HealthCheck(true, HealthCheckProtocol.HTTP, "/health",
                HealthCheck.TRAFFIC_PORT, Duration.ofSeconds(1), Duration.ofMillis(500), 2, 2, StatusMatcher.DEFAULT));
        assertThat(web.attributes().deregistrationDelay()).isEqualTo(Duration.ofSeconds(5));
        AutoScalingGroup group = config.autoScalingGroups().get(0);
        assertThat(group.launchTemplateName()).isEqualTo("demo-backend");
        assertThat(List.of(group.minSize(), group.desiredCapacity(), group.maxSize())).containsExactly(2, 2, 4);
        assertThat(group.targetGroupNames()).containsExactly("web");
        assertThat(config.launchTemplates().get(0).command()).contains("demo-backend", "${PORT}", "${INSTANCE_ID}");
    }
}
