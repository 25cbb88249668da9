package io.fulcrum.config;

import io.fulcrum.model.FulcrumConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps docs/config.md honest: its full example must load. */
class ConfigDocTest {
    @Test
    void theFullExampleInTheReferenceLoads() throws Exception {
        String doc = Files.readString(Path.of("docs/config.md"));
        int section = doc.indexOf("## A full example");
        int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
        String yaml = doc.substring(start, doc.indexOf("```", start));

        FulcrumConfig config = ConfigLoader.parse(yaml);

        assertThat(config.loadBalancers().get(0).listeners().get(0).rules()).hasSize(3);
        assertThat(config.targetGroups()).hasSize(3);
    }
}
