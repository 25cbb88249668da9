package io.fulcrum.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.config.ConfigLoader;
import io.fulcrum.model.FulcrumConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The diff of two states, resource by resource. */
class StateDiffTest {
    private static final String BEFORE = """
            loadBalancers:
              - name: lb
                listeners:
                  - port: 80
                    rules:
                      - priority: 10
                        conditions: [{field: path-pattern, values: ["/a/*"]}]
                        actions: [{type: forward, targetGroupName: web}]
                    defaultActions: [{type: forward, targetGroupName: web}]
            targetGroups:
              - name: web
                port: 8080
                targets: ["10.0.0.1", "10.0.0.2"]
            launchTemplates:
              - name: demo
                command: [sleep, "60"]
            autoScalingGroups:
              - name: asg
                launchTemplateName: demo
                minSize: 0
                maxSize: 2
                zones: [zone-a]
            """;

    @Test
    void sameStatesHaveNoChanges() throws Exception {
        assertThat(StateDiff.between(ConfigLoader.parse(BEFORE), ConfigLoader.parse(BEFORE))).isEmpty();
    }

    @Test
    void eachKindIsMatchedByItsNameAndNamesItsChangedFields() throws Exception {
        FulcrumConfig after = ConfigLoader.parse(BEFORE
                .replace("port: 80\n", "port: 81\n")
                .replace("values: [\"/a/*\"]", "values: [\"/b/*\"]")
                .replace("\"10.0.0.2\"", "{id: 10.0.0.2, weight: 3}, \"10.0.0.3\"")
                .replace("targets: [", "healthCheck: {interval: 10s, path: /health}\n    targets: [")
                .replace("maxSize: 2", "maxSize: 4")
                .replace("command: [sleep, \"60\"]", "command: [sleep, \"61\"]"));
        List<StateDiff.Change> changes = StateDiff.between(ConfigLoader.parse(BEFORE), after);
        assertThat(changes).containsExactly(
                new StateDiff.Change("remove", "listener", "lb/80", List.of()),
                new StateDiff.Change("add", "listener", "lb/81", List.of()),
                new StateDiff.Change("remove", "rule", "lb/80/10", List.of()),
                new StateDiff.Change("add", "rule", "lb/81/10", List.of()),
                new StateDiff.Change("change", "targetGroup", "web", List.of("healthCheck.path", "healthCheck.interval")),
                new StateDiff.Change("change", "target", "web/10.0.0.2:8080", List.of("weight")),
                new StateDiff.Change("add", "target", "web/10.0.0.3:8080", List.of()),
                new StateDiff.Change("change", "launchTemplate", "demo", List.of("command[1]")),
                new StateDiff.Change("change", "autoScalingGroup", "asg", List.of("maxSize")));
    }

    @Test
    void aListOfAnotherLengthIsNamedWholeAndARuleChangeNamesItsCondition() throws Exception {
        FulcrumConfig after = ConfigLoader.parse(BEFORE
                .replace("values: [\"/a/*\"]", "values: [\"/a/*\", \"/c/*\"]")
                .replace("zones: [zone-a]", "zones: [zone-a, zone-b]"));
        assertThat(StateDiff.between(ConfigLoader.parse(BEFORE), after)).containsExactly(
                new StateDiff.Change("change", "rule", "lb/80/10", List.of("conditions[0].values")),
                new StateDiff.Change("change", "autoScalingGroup", "asg", List.of("zones")));
    }
}
