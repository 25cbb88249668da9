package io.fulcrum.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Placeholders, escapes, defaults and the problems of a launch template. */
class LaunchTemplateTest {
    private static final Map<String, String> VALUES = Map.of("PORT", "20001", "INSTANCE_ID", "i-0123456789abcdef0",
            "ZONE", "zone-b", "GROUP", "web-asg");

    @Test
    void defaults() {
        LaunchTemplate template = new LaunchTemplate("demo", 0, List.of("app"), null, null, null);

        assertThat(template.version()).isEqualTo(1);
        assertThat(template.environment()).isEmpty();
        assertThat(template.terminationGracePeriod()).isEqualTo(Duration.ofSeconds(30));
        assertThat(template.workingDirectory()).isNull();
        assertThat(template.withVersion(4).version()).isEqualTo(4);
        assertThat(LaunchTemplate.validate("launchTemplates[0]", template)).isEmpty();
    }

    @Test
    void placeholdersAreExpandedInCommandEnvironmentAndWorkingDirectory() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("LISTEN", "127.0.0.1:${PORT}");
        environment.put("NAME", "${GROUP}/${INSTANCE_ID}");
        LaunchTemplate template = new LaunchTemplate("demo", 2,
                List.of("./app", "--port=${PORT}", "--zone", "${ZONE}"), environment, "/srv/${GROUP}", null);

        assertThat(template.expandCommand(VALUES)).containsExactly("./app", "--port=20001", "--zone", "zone-b");
        assertThat(template.expandEnvironment(VALUES)).containsExactly(Map.entry("LISTEN", "127.0.0.1:20001"),
                Map.entry("NAME", "web-asg/i-0123456789abcdef0"));
        assertThat(template.expandWorkingDirectory(VALUES)).isEqualTo("/srv/web-asg");
    }

    @Test
    void dollarDollarBraceIsALiteralAndALoneDollarStaysAsItIs() {
        assertThat(LaunchTemplate.expand("echo $${HOME} $HOME $ ${PORT}$", VALUES)).isEqualTo("echo ${HOME} $HOME $ 20001$");
    }

    @Test
    void anUnknownPlaceholderIsNamed() {
        assertThatThrownBy(() -> LaunchTemplate.expand("--port ${PROT}", VALUES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"--port ${PROT}\" has the unknown placeholder ${PROT} (expected: one of ${PORT},"
                        + " ${INSTANCE_ID}, ${ZONE}, ${GROUP}, or $${ for a literal ${)");
    }

    @Test
    void everyProblemHasItsFieldPath() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("OK", "${ZONE}");
        environment.put("BAD", "${HOSTNAME}");
        environment.put("FULCRUM_INSTANCE_ID", "mine");
        environment.put("1X", "v");
        LaunchTemplate template = new LaunchTemplate("x", -1, List.of("app", "${PORT", "${PORT}"), environment,
                "/srv/${USER}", Duration.ofSeconds(-1));

        assertThat(LaunchTemplate.validate("launchTemplates[2]", template)).extracting(ConfigProblem::toString)
                .containsExactly(
                        "launchTemplates[2].name: \"x\" (expected: 3-128 letters, digits or ( ) . / - _)",
                        "launchTemplates[2].version: -1 (expected: 1 or more)",
                        "launchTemplates[2].command[1]: \"${PORT\" has an unclosed \"${\" at index 0"
                                + " (expected: ${NAME}, or $${ for a literal ${)",
                        "launchTemplates[2].environment.BAD: \"${HOSTNAME}\" has the unknown placeholder ${HOSTNAME}"
                                + " (expected: one of ${PORT}, ${INSTANCE_ID}, ${ZONE}, ${GROUP}, or $${ for a literal ${)",
                        "launchTemplates[2].environment.FULCRUM_INSTANCE_ID: is set by Fulcrum to the instance id"
                                + " (expected: another name)",
                        "launchTemplates[2].environment: \"1X\" (expected: a variable name of letters, digits and _,"
                                + " not starting with a digit)",
                        "launchTemplates[2].workingDirectory: \"/srv/${USER}\" has the unknown placeholder ${USER}"
                                + " (expected: one of ${PORT}, ${INSTANCE_ID}, ${ZONE}, ${GROUP}, or $${ for a literal ${)",
                        "launchTemplates[2].terminationGracePeriod: -1s (expected: 0s or more)");
    }

    @Test
    void anEmptyCommandIsAProblem() {
        assertThat(LaunchTemplate.validate("t", LaunchTemplate.of("demo", List.of()))).extracting(ConfigProblem::toString)
                .containsExactly("t.command: empty (expected: the program and its arguments)");
        assertThat(LaunchTemplate.validate("t", null)).extracting(ConfigProblem::toString)
                .containsExactly("t: missing (expected: a launch template)");
    }
}
