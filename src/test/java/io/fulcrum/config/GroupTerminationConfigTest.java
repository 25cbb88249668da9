package io.fulcrum.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.InvalidConfigException;
import io.fulcrum.model.TerminationPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An auto scaling group's cooldown, termination policies and scale-in protection: defaults, binding, problems. */
class GroupTerminationConfigTest {
    private static final String GROUP = """
            launchTemplates:
              - name: demo
                command: [sh, -c, "exit 0"]
            autoScalingGroups:
              - name: web-asg
                launchTemplateName: demo
                minSize: 1
                maxSize: 4
                zones: [zone-a]
            %s
            """;

    @Test
    void defaults() throws Exception {
        AutoScalingGroup group = ConfigLoader.parse(GROUP.formatted("")).autoScalingGroup("web-asg");
        assertThat(group.defaultCooldown()).isEqualTo(Duration.ofSeconds(300));
        assertThat(group.terminationPolicies()).containsExactly(TerminationPolicy.Default);
        assertThat(group.newInstancesProtectedFromScaleIn()).isFalse();
        assertThat(group.keepInstancesOnExit()).isFalse();
    }

    @Test
    void binds() throws Exception {
        AutoScalingGroup group = ConfigLoader.parse(GROUP.formatted("""
                    defaultCooldown: 30s
                    terminationPolicies: [OldestLaunchTemplate, NewestInstance]
                    newInstancesProtectedFromScaleIn: true
                    keepInstancesOnExit: true
                """)).autoScalingGroup("web-asg");
        assertThat(group.keepInstancesOnExit()).isTrue();
        assertThat(group.defaultCooldown()).isEqualTo(Duration.ofSeconds(30));
        assertThat(group.terminationPolicies())
                .containsExactly(TerminationPolicy.OldestLaunchTemplate, TerminationPolicy.NewestInstance);
        assertThat(group.newInstancesProtectedFromScaleIn()).isTrue();
    }

    @Test
    void problemsAreNamed() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> ConfigLoader.parse(GROUP.formatted("""
                    defaultCooldown: soon
                    terminationPolicies: [OldestInstnce, ClosestToNextInstanceHour, NewestInstance]
                    newInstancesProtectedFromScaleIn: maybe
                    keepInstancesOnExit: 1
                """)));
        assertThat(e).isNotNull();
        assertThat(e.problems().stream().map(p -> p.path() + ": " + p.message())).containsExactlyInAnyOrder(
                "autoScalingGroups[0].defaultCooldown: \"soon\" (expected: a duration like 30s, 500ms, 1m, 1h, 1d)",
                "autoScalingGroups[0].terminationPolicies[0]: \"OldestInstnce\" (did you mean 'OldestInstance'?)",
                "autoScalingGroups[0].terminationPolicies[1]: \"ClosestToNextInstanceHour\" (expected: Default,"
                        + " OldestInstance, NewestInstance, OldestLaunchTemplate)",
                "autoScalingGroups[0].newInstancesProtectedFromScaleIn: \"maybe\" (expected: true or false)",
                "autoScalingGroups[0].keepInstancesOnExit: 1 (expected: true or false)");
    }

    @Test
    void aPolicyListedTwiceIsRefused() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> ConfigLoader.parse(GROUP.formatted(
                "    terminationPolicies: [NewestInstance, Default, NewestInstance]")));
        assertThat(e).isNotNull();
        assertThat(e.problems().stream().map(p -> p.path() + ": " + p.message())).containsExactly(
                "autoScalingGroups[0].terminationPolicies[2]: NewestInstance is listed twice (expected: each policy once)");
    }
}
