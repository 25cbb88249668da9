package io.fulcrum.config;

import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the writer writes, the loader reads back to the same config: `get -o yaml` then `apply` changes nothing. */
class ConfigWriterTest {
    @Test
    void everyExampleRoundTripsThroughYamlAndJson() throws Exception {
        List<String> examples = new ArrayList<>(yamlBlocks(Files.readString(Path.of("docs/config.md"))));
        examples.add(Files.readString(Path.of("examples/fulcrum.yaml")));
        int checked = 0;
        for (String yaml : examples) {
            FulcrumConfig config;
            try {
                config = ConfigLoader.parse(yaml);
            } catch (InvalidConfigException e) {
                continue; // the reference also shows fragments and invalid examples
            }
            String written = ConfigWriter.toYaml(config);
            FulcrumConfig fromYaml = ConfigLoader.parse(written);
            FulcrumConfig fromJson = ConfigLoader.parse(ConfigWriter.toJson(config));
            assertThat(ConfigWriter.toYaml(fromYaml)).as("YAML round trip of%n%s", yaml).isEqualTo(written);
            assertThat(ConfigWriter.toYaml(fromJson)).isEqualTo(written);
            assertThat(fromYaml.loadBalancers()).isEqualTo(config.loadBalancers());
            assertThat(fromYaml.autoScalingGroups()).isEqualTo(config.autoScalingGroups());
            assertThat(fromYaml.launchTemplates()).isEqualTo(config.launchTemplates());
            checked++;
        }
        assertThat(checked).as("examples that load").isGreaterThanOrEqualTo(2);
    }

    @Test
    void everyAutoScalingFieldRoundTrips() throws Exception {
        String yaml = """
                targetGroups:
                  - {name: web, targetType: instance, protocolVersion: HTTP1}
                launchTemplates:
                  - name: app
                    command: [sleep, "1000"]
                    environment: {MODE: blue}
                    terminationGracePeriod: 5s
                    versions:
                      - {version: 2, command: [sleep, "2000"]}
                    defaultVersion: 2
                autoScalingGroups:
                  - name: app-asg
                    launchTemplateName: app
                    launchTemplateVersion: $Latest
                    minSize: 1
                    maxSize: 6
                    desiredCapacity: 2
                    zones: [zone-a, zone-b]
                    targetGroupNames: [web]
                    healthCheckType: ELB
                    healthCheckGracePeriod: 30s
                    defaultCooldown: 2m
                    terminationPolicies: [OldestLaunchTemplate, NewestInstance]
                    newInstancesProtectedFromScaleIn: true
                    keepInstancesOnExit: true
                    scheduledActions:
                      - {name: mornings, recurrence: "0 9 * * MON-FRI", timeZone: Europe/Paris, minSize: 2, desiredCapacity: 3}
                      - {name: once, startTime: "2027-01-01T00:00:00Z", maxSize: 4}
                    policies:
                      - name: steps
                        type: StepScaling
                        alarm: {metric: ASGAverageCPUUtilization, comparisonOperator: GreaterThanOrEqualToThreshold, threshold: 60, evaluationPeriods: 2}
                        adjustmentType: PercentChangeInCapacity
                        minAdjustmentMagnitude: 1
                        stepAdjustments:
                          - {metricIntervalLowerBound: 0, metricIntervalUpperBound: 20, scalingAdjustment: 10}
                          - {metricIntervalLowerBound: 20, scalingAdjustment: 30}
                      - name: simple
                        type: SimpleScaling
                        alarm: {metric: ALBRequestCountPerTarget, comparisonOperator: LessThanThreshold, threshold: 100}
                        scalingAdjustment: -1
                        cooldown: 90s
                      - name: keep-latency
                        type: TargetTrackingScaling
                        targetTracking: {predefinedMetric: ALBTargetResponseTime, targetValue: 0.25, disableScaleIn: true}
                      - name: slow-steps
                        type: StepScaling
                        alarm: {metric: ALBTargetResponseTime, comparisonOperator: GreaterThanThreshold, threshold: 0.5}
                        stepAdjustments:
                          - {metricIntervalLowerBound: 0, scalingAdjustment: 1}
                """;
        FulcrumConfig config = ConfigLoader.parse(yaml);
        String written = ConfigWriter.toYaml(config);
        FulcrumConfig back = ConfigLoader.parse(written);

        assertThat(back.autoScalingGroups()).isEqualTo(config.autoScalingGroups());
        assertThat(back.launchTemplates()).isEqualTo(config.launchTemplates());
        assertThat(ConfigWriter.toYaml(back)).isEqualTo(written);
        assertThat(written).contains("StepScaling").contains("Europe/Paris").contains("OldestLaunchTemplate")
                .contains("predefinedMetric: ALBTargetResponseTime").contains("metric: ALBTargetResponseTime");
        assertThat(back.autoScalingGroup("app-asg").keepInstancesOnExit()).isTrue();
    }

    @Test
    void udpListenersAndUdpAndTcpUdpGroupsRoundTrip() throws Exception {
        String yaml = """
                loadBalancers:
                  - name: dns
                    listeners:
                      - {protocol: UDP, port: 5353, bindAddress: 127.0.0.1, idleTimeout: 30s, maxConnections: 500,
                         defaultActions: [{type: forward, targetGroupName: both}]}
                      - {protocol: TCP, port: 5353, bindAddress: 127.0.0.1,
                         defaultActions: [{type: forward, targetGroupName: both}]}
                      - {protocol: UDP, port: 5354, defaultActions: [{type: forward, targetGroupName: udp-only}]}
                targetGroups:
                  - {name: both, protocol: TCP_UDP, targets: ["127.0.0.1:6353"], healthCheck: {protocol: HTTP, port: 8080}}
                  - {name: udp-only, protocol: UDP, targets: ["127.0.0.1:6354"], attributes: {algorithm: round_robin}}
                """;
        FulcrumConfig config = ConfigLoader.parse(yaml);
        String written = ConfigWriter.toYaml(config);
        FulcrumConfig back = ConfigLoader.parse(written);

        assertThat(back).isEqualTo(config);
        assertThat(ConfigLoader.parse(ConfigWriter.toJson(config))).isEqualTo(config);
        assertThat(ConfigWriter.toYaml(back)).isEqualTo(written);
        assertThat(written).contains("protocol: UDP").contains("protocol: TCP_UDP")
                .contains("idleTimeout: 2m").contains("algorithm: round_robin").contains("algorithm: flow_hash");
    }

    @Test
    void durationsAreWrittenInTheLargestExactUnit() {
        assertThat(ConfigWriter.duration(Duration.ZERO)).isEqualTo("0s");
        assertThat(ConfigWriter.duration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(ConfigWriter.duration(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(ConfigWriter.duration(Duration.ofSeconds(120))).isEqualTo("2m");
        assertThat(ConfigWriter.duration(Duration.ofDays(1))).isEqualTo("1d");
        assertThat(Durations.parse(ConfigWriter.duration(Duration.ofMillis(3_600_500)))).isEqualTo(Duration.ofMillis(3_600_500));
    }

    @Test
    void anEmptyConfigWritesEmptyLists() throws Exception {
        FulcrumConfig empty = ConfigLoader.parse("");
        assertThat(ConfigWriter.toCompactJson(empty))
                .isEqualTo("{\"loadBalancers\":[],\"targetGroups\":[],\"launchTemplates\":[],\"autoScalingGroups\":[]}");
        assertThat(ConfigLoader.parse(ConfigWriter.toCompactJson(empty))).isEqualTo(empty);
    }

    private static List<String> yamlBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        int at = 0;
        while ((at = markdown.indexOf("```yaml\n", at)) >= 0) {
            int start = at + "```yaml\n".length();
            int end = markdown.indexOf("```", start);
            blocks.add(markdown.substring(start, end));
            at = end + 3;
        }
        return blocks;
    }
}
