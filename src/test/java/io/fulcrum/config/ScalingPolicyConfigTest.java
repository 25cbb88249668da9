package io.fulcrum.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.InvalidConfigException;
import io.fulcrum.model.PredefinedMetric;
import io.fulcrum.model.ScalingPolicy;
import io.fulcrum.model.ScalingPolicyType;
import io.fulcrum.model.TargetTrackingConfiguration;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scaling policies of an auto scaling group: binding, defaults and problems with their paths. */
class ScalingPolicyConfigTest {
    private static final String GROUP = """
            targetGroups:
              - name: web
                targetType: instance
            launchTemplates:
              - name: demo
                command: [sh, -c, "exit 0"]
            autoScalingGroups:
              - name: web-asg
                launchTemplateName: demo
                minSize: 1
                maxSize: 4
                zones: [zone-a]
                targetGroupNames: [web]
            %s
            """;

    @Test
    void targetTrackingBindsWithDefaults() throws Exception {
        AutoScalingGroup group = ConfigLoader.parse(GROUP.formatted("""
                    policies:
                      - name: keep-rps
                        type: TargetTrackingScaling
                        targetTracking: {predefinedMetric: ALBRequestCountPerTarget, targetValue: 200}
                """)).autoScalingGroup("web-asg");
        assertThat(group.policies()).containsExactly(new ScalingPolicy("keep-rps", ScalingPolicyType.TargetTrackingScaling,
                new TargetTrackingConfiguration(PredefinedMetric.ALBRequestCountPerTarget, 200, false)));
        assertThat(group.defaultInstanceWarmup()).isEqualTo(Duration.ofSeconds(30));
        assertThat(group.scaleInStabilization()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void warmupStabilizationAndDisableScaleIn() throws Exception {
        AutoScalingGroup group = ConfigLoader.parse(GROUP.formatted("""
                    defaultInstanceWarmup: 5s
                    scaleInStabilization: 2m
                    policies:
                      - name: keep-rps
                        type: TargetTrackingScaling
                        targetTracking: {predefinedMetric: ALBRequestCountPerTarget, targetValue: 12.5, disableScaleIn: true}
                """)).autoScalingGroup("web-asg");
        assertThat(group.defaultInstanceWarmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(group.scaleInStabilization()).isEqualTo(Duration.ofMinutes(2));
        assertThat(group.policies().get(0).targetTracking().targetValue()).isEqualTo(12.5);
        assertThat(group.policies().get(0).targetTracking().disableScaleIn()).isTrue();
    }

    @Test
    void missingAndBadValuesAreNamed() {
        List<String> problems = problems(GROUP.formatted("""
                    policies:
                      - name: steps
                        type: StepScaling
                      - name: cpu
                        type: TargetTrackingScaling
                        targetTracking: {predefinedMetric: ASGAverageCPUUtilization, targetValue: 50}
                      - name: typo
                        type: TargetTrackingScaling
                        targetTracking: {predefinedMetric: ALBRequestCountPerTargt, targetValue: 50}
                      - name: bad-value
                        type: TargetTrackingScaling
                        targetTracking: {predefinedMetric: ALBRequestCountPerTarget, targetValue: high}
                      - name: no-type
                        targetTracking: {predefinedMetric: ALBRequestCountPerTarget, targetValue: 5}
                """));
        assertThat(problems).containsExactlyInAnyOrder(
                "autoScalingGroups[0].policies[0].alarm: missing (expected: {metric: ALBRequestCountPerTarget,"
                        + " comparisonOperator: GreaterThanOrEqualToThreshold, threshold: 600})",
                "autoScalingGroups[0].policies[2].targetTracking.predefinedMetric: \"ALBRequestCountPerTargt\" (did you mean"
                        + " 'ALBRequestCountPerTarget'?)",
                "autoScalingGroups[0].policies[3].targetTracking.targetValue: \"high\" (expected: a number above 0)",
                "autoScalingGroups[0].policies[4].type: missing (expected: TargetTrackingScaling, StepScaling,"
                        + " SimpleScaling)");
    }

    @Test
    void targetValueMustBePositiveAndNamesUnique() {
        List<String> problems = problems(GROUP.formatted("""
                    policies:
                      - name: keep-rps
                        type: TargetTrackingScaling
                        targetTracking: {predefinedMetric: ALBRequestCountPerTarget, targetValue: 0}
                      - name: keep-rps
                        type: TargetTrackingScaling
                        targetTracking: {predefinedMetric: ALBRequestCountPerTarget, targetValue: -3}
                """));
        assertThat(problems).containsExactlyInAnyOrder(
                "autoScalingGroups[0].policies[0].targetTracking.targetValue: 0.0 (expected: a number above 0)",
                "autoScalingGroups[0].policies[1].name: \"keep-rps\" is already the name of another policy of this group"
                        + " (expected: a unique name)",
                "autoScalingGroups[0].policies[1].targetTracking.targetValue: -3.0 (expected: a number above 0)");
    }

    private static List<String> problems(String yaml) {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> ConfigLoader.parse(yaml));
        assertThat(e).as("config should be rejected").isNotNull();
        return e.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
    }

    @Test
    void targetResponseTimeBindsInTargetTrackingAndAlarms() throws Exception {
        AutoScalingGroup group = ConfigLoader.parse(GROUP.formatted("""
                    policies:
                      - name: keep-latency
                        type: TargetTrackingScaling
                        targetTracking: {predefinedMetric: ALBTargetResponseTime, targetValue: 0.25}
                      - name: slow-out
                        type: SimpleScaling
                        alarm: {metric: ALBTargetResponseTime, comparisonOperator: GreaterThanThreshold, threshold: 1.5}
                        scalingAdjustment: 1
                """)).autoScalingGroup("web-asg");
        assertThat(group.policies().get(0).targetTracking())
                .isEqualTo(new TargetTrackingConfiguration(PredefinedMetric.ALBTargetResponseTime, 0.25, false));
        assertThat(group.policies().get(1).alarm()).isEqualTo(new io.fulcrum.model.PolicyAlarm(
                PredefinedMetric.ALBTargetResponseTime, io.fulcrum.model.ComparisonOperator.GreaterThanThreshold, 1.5, 1));
    }

    @Test
    void targetResponseTimeNeedsHttpTargetGroups() {
        List<String> problems = problems("""
                targetGroups:
                  - name: web
                    targetType: instance
                  - name: db
                    protocol: TCP
                    port: 5432
                    targetType: instance
                launchTemplates:
                  - name: demo
                    command: [sh, -c, "exit 0"]
                autoScalingGroups:
                  - name: web-asg
                    launchTemplateName: demo
                    minSize: 1
                    maxSize: 4
                    zones: [zone-a]
                    targetGroupNames: [web, db]
                    policies:
                      - name: keep-latency
                        type: TargetTrackingScaling
                        targetTracking: {predefinedMetric: ALBTargetResponseTime, targetValue: 0.25}
                  - name: lonely-asg
                    launchTemplateName: demo
                    minSize: 1
                    maxSize: 4
                    zones: [zone-a]
                    policies:
                      - name: slow-out
                        type: SimpleScaling
                        alarm: {metric: ALBTargetResponseTime, comparisonOperator: GreaterThanThreshold, threshold: 1}
                        scalingAdjustment: 1
                """);
        assertThat(problems).containsExactlyInAnyOrder(
                "autoScalingGroups[0].policies[0].targetTracking.predefinedMetric: ALBTargetResponseTime with target"
                        + " group \"db\" of protocol TCP (expected: HTTP or HTTPS target groups, whose response times"
                        + " the balancer measures)",
                "autoScalingGroups[1].policies[0].alarm.metric: ALBTargetResponseTime without targetGroupNames"
                        + " (expected: a group attached to a target group)");
    }

    @Test
    void cloudWatchsNameLeadsToFulcrums() {
        assertThat(problems(GROUP.formatted("""
                    policies:
                      - name: typo
                        type: TargetTrackingScaling
                        targetTracking: {predefinedMetric: TargetResponseTime, targetValue: 0.25}
                """))).containsExactly("autoScalingGroups[0].policies[0].targetTracking.predefinedMetric:"
                + " \"TargetResponseTime\" (did you mean 'ALBTargetResponseTime'?)");
    }

    @Test
    void stepAndSimplePoliciesBind() throws Exception {
        AutoScalingGroup group = ConfigLoader.parse(GROUP.formatted("""
                    policies:
                      - name: cpu-steps
                        type: StepScaling
                        alarm: {metric: ASGAverageCPUUtilization, comparisonOperator: GreaterThanOrEqualToThreshold, threshold: 60}
                        adjustmentType: PercentChangeInCapacity
                        minAdjustmentMagnitude: 1
                        stepAdjustments:
                          - {metricIntervalLowerBound: 0, metricIntervalUpperBound: 20, scalingAdjustment: 10}
                          - {metricIntervalLowerBound: 20, scalingAdjustment: 30}
                      - name: rps-in
                        type: SimpleScaling
                        alarm: {metric: ALBRequestCountPerTarget, comparisonOperator: LessThanThreshold, threshold: 100, evaluationPeriods: 3}
                        scalingAdjustment: -1
                        cooldown: 2m
                """)).autoScalingGroup("web-asg");
        ScalingPolicy steps = group.policies().get(0);
        assertThat(steps.alarm()).isEqualTo(new io.fulcrum.model.PolicyAlarm(PredefinedMetric.ASGAverageCPUUtilization,
                io.fulcrum.model.ComparisonOperator.GreaterThanOrEqualToThreshold, 60, 1));
        assertThat(steps.adjustmentType()).isEqualTo(io.fulcrum.model.AdjustmentType.PercentChangeInCapacity);
        assertThat(steps.minAdjustmentMagnitude()).isEqualTo(1);
        assertThat(steps.stepAdjustments()).containsExactly(new io.fulcrum.model.StepAdjustment(0.0, 20.0, 10),
                new io.fulcrum.model.StepAdjustment(20.0, null, 30));
        ScalingPolicy simple = group.policies().get(1);
        assertThat(simple.adjustmentType()).isEqualTo(io.fulcrum.model.AdjustmentType.ChangeInCapacity);
        assertThat(simple.scalingAdjustment()).isEqualTo(-1);
        assertThat(simple.cooldown()).isEqualTo(Duration.ofMinutes(2));
        assertThat(simple.alarm().evaluationPeriods()).isEqualTo(3);
    }

    @Test
    void stepAndSimpleProblemsAreNamed() {
        List<String> problems = problems(GROUP.formatted("""
                    policies:
                      - name: overlap
                        type: StepScaling
                        alarm: {metric: ASGAverageCPUUtilization, comparisonOperator: GreaterThanThreshold, threshold: 60}
                        minAdjustmentMagnitude: 2
                        stepAdjustments:
                          - {metricIntervalLowerBound: 0, metricIntervalUpperBound: 20, scalingAdjustment: 1}
                          - {metricIntervalLowerBound: 10, scalingAdjustment: 2}
                      - name: no-steps
                        type: StepScaling
                        alarm: {metric: ASGAverageCPUUtilization, comparisonOperator: GreaterThanThreshold, threshold: 60, evaluationPeriods: 0}
                      - name: no-adjustment
                        type: SimpleScaling
                        alarm: {metric: ALBRequestCountPerTarget, comparisonOperator: LessThanThreshold, threshold: 5}
                        targetTracking: {predefinedMetric: ALBRequestCountPerTarget, targetValue: 5}
                """));
        assertThat(problems).containsExactlyInAnyOrder(
                "autoScalingGroups[0].policies[0].minAdjustmentMagnitude: 2 with adjustmentType ChangeInCapacity"
                        + " (expected: only with PercentChangeInCapacity)",
                "autoScalingGroups[0].policies[0].stepAdjustments[1].metricIntervalLowerBound: 10.0 overlaps"
                        + " stepAdjustments[0] (expected: 20.0, its metricIntervalUpperBound)",
                "autoScalingGroups[0].policies[1].alarm.evaluationPeriods: 0 (expected: 1 or more)",
                "autoScalingGroups[0].policies[1].stepAdjustments: empty (expected: at least one step like"
                        + " {metricIntervalLowerBound: 0, scalingAdjustment: 1})",
                "autoScalingGroups[0].policies[2].targetTracking: is not used by a SimpleScaling policy (expected: no"
                        + " targetTracking)",
                "autoScalingGroups[0].policies[2].scalingAdjustment: missing (expected: a whole number of instances,"
                        + " or percent, like 1 or -1)");
    }
}
