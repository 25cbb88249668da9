package io.fulcrum.config;

import io.fulcrum.model.ConfigProblem;
import io.fulcrum.model.InvalidConfigException;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Test helper: the problems a config is rejected with. */
final class ConfigProblems {
    private ConfigProblems() {
    }

    static List<ConfigProblem> of(String yaml) {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> ConfigLoader.parse(yaml));
        assertThat(e).as("the config is rejected").isNotNull();
        assertThat(e.problems()).isNotEmpty();
        return e.problems();
    }

    /** A minimal valid config with one listener and one group, to which a test adds one mistake. */
    static String minimal(String listenerExtra, String groupExtra) {
        return """
                loadBalancers:
                  - name: web
                    listeners:
                      - port: 8080
                        bindAddress: 127.0.0.1
                %s
                        defaultActions: [{type: forward, targetGroupName: web}]
                targetGroups:
                  - name: web
                    targets: ["127.0.0.1:9001"]
                %s
                """.formatted(listenerExtra, groupExtra);
    }
}
