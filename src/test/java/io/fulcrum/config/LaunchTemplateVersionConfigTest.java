package io.fulcrum.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.InvalidConfigException;
import io.fulcrum.model.LaunchTemplate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Launch template versions: inheritance from the template's own fields, $Latest/$Default/number, problems. */
class LaunchTemplateVersionConfigTest {
    private static final String CONFIG = """
            launchTemplates:
              - name: demo
                command: [sh, -c, "exec sleep 1000"]
                environment: {MODE: blue}
                terminationGracePeriod: 5s
                %s
            autoScalingGroups:
              - name: web-asg
                launchTemplateName: demo
                minSize: 1
                maxSize: 4
                zones: [zone-a]
                %s
            """;

    @Test
    void versionsInheritAndResolve() throws Exception {
        FulcrumConfig config = ConfigLoader.parse(CONFIG.formatted("""
                versions:
                      - {version: 2, environment: {MODE: green}}
                      - {version: 3, command: [sh, -c, "exec sleep 2000"]}
                    defaultVersion: 2""", "launchTemplateVersion: $Latest"));
        LaunchTemplate template = config.launchTemplate("demo");
        assertThat(template.version()).isEqualTo(1);
        assertThat(template.latestVersion()).isEqualTo(3);
        LaunchTemplate two = template.resolve("$Default").orElseThrow();
        assertThat(two.version()).isEqualTo(2);
        assertThat(two.environment()).isEqualTo(Map.of("MODE", "green"));
        assertThat(two.command()).containsExactly("sh", "-c", "exec sleep 1000");
        assertThat(two.terminationGracePeriod()).isEqualTo(Duration.ofSeconds(5));
        LaunchTemplate three = template.resolve(config.autoScalingGroup("web-asg").launchTemplateVersion()).orElseThrow();
        assertThat(three.version()).isEqualTo(3);
        assertThat(three.command()).containsExactly("sh", "-c", "exec sleep 2000");
        assertThat(three.environment()).isEqualTo(Map.of("MODE", "blue"));
        assertThat(template.resolve("1").orElseThrow().environment()).isEqualTo(Map.of("MODE", "blue"));
        assertThat(template.resolve("7")).isEmpty();
    }

    @Test
    void withoutVersionsTheGroupUsesTheDefaultWhichIsTheOnlyOne() throws Exception {
        FulcrumConfig config = ConfigLoader.parse(CONFIG.formatted("", ""));
        assertThat(config.autoScalingGroup("web-asg").launchTemplateVersion()).isEqualTo("$Default");
        assertThat(config.launchTemplate("demo").resolve("$Default").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void problemsAreNamed() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> ConfigLoader.parse(CONFIG.formatted("""
                versions:
                      - {version: 1, environment: {MODE: green}}
                      - {version: 2, command: [no-such-program-xyz]}
                    defaultVersion: 5""", "launchTemplateVersion: \"9\"")));
        assertThat(e).isNotNull();
        assertThat(e.problems().stream().map(p -> p.path() + ": " + p.message()).toList()).containsExactlyInAnyOrder(
                "launchTemplates[0].versions[0].version: 1 is already a version of this template (expected: a unique"
                        + " version number)",
                "launchTemplates[0].versions[1].command[0]: \"no-such-program-xyz\" is not found on PATH (expected: a"
                        + " program to run)",
                "launchTemplates[0].defaultVersion: 5 (expected: one of the template's versions: [1, 2])",
                "autoScalingGroups[0].launchTemplateVersion: \"9\" (expected: $Latest, $Default or a version of demo:"
                        + " [1, 2])");
    }
}
