package io.fulcrum.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fulcrum.model.ConfigProblem;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.HealthCheckType;
import io.fulcrum.model.InvalidConfigException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** launchTemplates and autoScalingGroups: binding, defaults and clear problems. */
class AutoScalingConfigTest {
    private static final String GROUPS = """
            targetGroups:
              - name: web
                targetType: instance
              - name: static
                targets: ["127.0.0.1:9000"]
            launchTemplates:
              - name: demo
                command: [%s, --port, "${PORT}"]
                environment: {MODE: "${ZONE}"}
                terminationGracePeriod: 5s
            autoScalingGroups:
              - name: web-asg
                launchTemplateName: %s
                minSize: %s
                maxSize: %s
                %s
                zones: %s
                targetGroupNames: [%s]
                healthCheckType: ELB
            """;

    @Test
    void validGroupBindsWithDefaults() throws Exception {
        FulcrumConfig config = ConfigLoader.parse(GROUPS.formatted("sh", "demo", 1, 3, "", "[zone-a, zone-b]", "web"));
        var group = config.autoScalingGroup("web-asg");
        assertThat(group.desiredCapacity()).isEqualTo(1);
        assertThat(group.healthCheckType()).isEqualTo(HealthCheckType.ELB);
        assertThat(group.healthCheckGracePeriod()).isEqualTo(Duration.ofSeconds(300));
        assertThat(config.launchTemplate("demo").environment()).containsEntry("MODE", "${ZONE}");
        assertThat(config.launchTemplate("demo").terminationGracePeriod()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void problemsNameTheirPaths() {
        List<String> problems = problems(GROUPS.formatted("no-such-program-xyz", "nope", 3, 2, "desiredCapacity: 1",
                "[zone-a, zone-a]", "static, missing"));
        assertThat(problems).contains(
                "launchTemplates[0].command[0]: \"no-such-program-xyz\" is not found on PATH (expected: a program to run)",
                "autoScalingGroups[0].launchTemplateName: \"nope\" (expected: the name of a launch template: demo)",
                "autoScalingGroups[0].maxSize: 2 (expected: at least minSize 3)",
                "autoScalingGroups[0].zones[1]: \"zone-a\" is listed twice (expected: each zone once)",
                "autoScalingGroups[0].targetGroupNames[0]: \"static\" has targetType ip (expected: a target group of targetType instance)",
                "autoScalingGroups[0].targetGroupNames[1]: \"missing\" (expected: the name of a target group: web, static)");
    }

    @Test
    void desiredOutsideMinMaxAndEmptyZonesAndUnknownPlaceholder() {
        List<String> problems = problems(GROUPS.formatted("sh", "demo", 1, 3, "desiredCapacity: 5", "[]", "web")
                .replace("\"${PORT}\"", "\"${PROT}\""));
        assertThat(problems).contains(
                "autoScalingGroups[0].desiredCapacity: 5 (expected: 1-3, between minSize and maxSize)",
                "autoScalingGroups[0].zones: empty (expected: at least one zone name like zone-a)");
        assertThat(problems).anyMatch(p -> p.startsWith("launchTemplates[0].command[2]: \"${PROT}\" has the unknown placeholder ${PROT}"));
    }

    @Test
    void instanceTargetGroupHasNoStaticTargets() {
        List<String> problems = problems("""
                targetGroups:
                  - name: web
                    targetType: instance
                    targets: ["127.0.0.1:9000"]
                """);
        assertThat(problems).containsExactly("targetGroups[0].targets: 1 static targets (expected: none with targetType"
                + " instance: auto scaling groups register their instances)");
    }

    private static List<String> problems(String yaml) {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> ConfigLoader.parse(yaml));
        assertThat(e).as("config should be rejected").isNotNull();
        return e.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
    }
}
