package io.fulcrum.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fulcrum.config.ConfigLoader;
import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.Target;
import io.fulcrum.model.TargetGroup;
import io.fulcrum.model.InvalidConfigException;
import io.fulcrum.store.FileStore;
import io.fulcrum.store.MemoryStore;
import io.fulcrum.store.StaleRevisionException;
import io.fulcrum.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who owns what: a declared document sets a group's desiredCapacity only when the group is new or the
 * document's own value changed; otherwise the live value (set through the API) stays.
 */
class OwnershipTest {
    @TempDir
    Path dir;

    private final List<FulcrumConfig> applied = new ArrayList<>();

    static FulcrumConfig file(int min, int max, int desired, String target) throws InvalidConfigException {
        return ConfigLoader.parse("""
                targetGroups:
                  - name: web
                    targetType: instance
                  - name: static
                    targets: ["%s"]
                launchTemplates:
                  - name: demo
                    command: [sh, -c, "sleep 1000"]
                autoScalingGroups:
                  - name: web-asg
                    launchTemplateName: demo
                    minSize: %d
                    maxSize: %d
                    desiredCapacity: %d
                    zones: [zone-a]
                    targetGroupNames: [web]
                """.formatted(target, min, max, desired));
    }

    private ControlPlane plane(Store store) throws InvalidConfigException {
        return new ControlPlane(store, (config, revision) -> applied.add(config));
    }

    private static int desired(ControlPlane plane) {
        return plane.current().config().autoScalingGroup("web-asg").desiredCapacity();
    }

    /** What the admin API's SetDesiredCapacity stores. */
    private static DesiredState setDesired(ControlPlane plane, int desired) throws Exception {
        return plane.update(Store.ANY_REVISION, "API SetDesiredCapacity", current -> {
            List<AutoScalingGroup> groups = new ArrayList<>();
            for (AutoScalingGroup group : current.autoScalingGroups()) {
                groups.add(group.withCapacity(group.minSize(), group.maxSize(), desired));
            }
            return new FulcrumConfig(current.loadBalancers(), current.targetGroups(), current.launchTemplates(), groups);
        });
    }

    @Test
    void theFileSetsDesiredCapacityOnlyWhenTheGroupIsNewOrTheFileValueChanged() throws Exception {
        ControlPlane plane = plane(new MemoryStore(Clock.systemUTC(), 10));
        plane.applyFile(file(1, 10, 2, "127.0.0.1:9001"), "start");
        assertThat(desired(plane)).as("created from the file").isEqualTo(2);

        setDesired(plane, 6);
        DesiredState edited = plane.applyFile(file(1, 10, 2, "127.0.0.1:9002"), "file edit: a target");
        assertThat(edited.config().targetGroup("static").targets()).extracting(t -> t.address())
                .containsExactly("127.0.0.1:9002");
        assertThat(desired(plane)).as("the file's desiredCapacity did not change: the live value stays").isEqualTo(6);
        assertThat(plane.lastDeclared().desiredCapacities()).isEqualTo(Map.of("web-asg", 2));

        plane.applyFile(file(1, 10, 3, "127.0.0.1:9002"), "file edit: desiredCapacity");
        assertThat(desired(plane)).as("the file's own value changed: it wins").isEqualTo(3);

        setDesired(plane, 8);
        plane.applyFile(file(1, 5, 3, "127.0.0.1:9002"), "file edit: maxSize");
        assertThat(desired(plane)).as("the live value, within the file's new maxSize").isEqualTo(5);

        long revision = plane.current().revision();
        assertThat(plane.applyFile(file(1, 5, 3, "127.0.0.1:9002"), "same file").revision())
                .as("nothing changed: no new revision").isEqualTo(revision);
    }

    @Test
    void aGroupRemovedAndAddedAgainTakesTheFileValue() throws Exception {
        ControlPlane plane = plane(new MemoryStore(Clock.systemUTC(), 10));
        plane.applyFile(file(1, 10, 2, "127.0.0.1:9001"), "start");
        setDesired(plane, 7);
        plane.update(Store.ANY_REVISION, "API delete group", c -> new FulcrumConfig(c.loadBalancers(),
                c.targetGroups(), c.launchTemplates(), List.of()));
        plane.applyFile(file(1, 10, 2, "127.0.0.1:9001"), "file again");
        assertThat(desired(plane)).as("created again").isEqualTo(2);
    }

    @Test
    void theLastDeclaredValuesAreStoredWithTheRevisionAndSurviveARestart() throws Exception {
        try (FileStore store = FileStore.open(dir)) {
            ControlPlane plane = plane(store);
            plane.applyFile(file(1, 10, 2, "127.0.0.1:9001"), "start");
            setDesired(plane, 6);
        }
        try (FileStore store = FileStore.open(dir)) {
            ControlPlane plane = plane(store);
            assertThat(plane.lastDeclared()).isEqualTo(new LastDeclared(Map.of("web-asg", 2),
                    Map.of("web", java.util.Set.of(), "static", java.util.Set.of("127.0.0.1:9001"))));
            assertThat(desired(plane)).isEqualTo(6);
            plane.applyFile(file(1, 10, 2, "127.0.0.1:9001"), "restart with the same file");
            assertThat(desired(plane)).as("a restart with the file does not undo the API's value").isEqualTo(6);
            assertThat(plane.history()).extracting(DesiredState::cause)
                    .containsExactly("start", "API SetDesiredCapacity");
        }
    }

    @Test
    void aFileApplyRemovesOnlyTheTargetsItDeclaredNotThoseRegisteredThroughTheApi() throws Exception {
        try (FileStore store = FileStore.open(dir)) {
            ControlPlane plane = plane(store);
            plane.applyFile(file(1, 10, 2, "127.0.0.1:9001"), "start");
            plane.update(Store.ANY_REVISION, "API RegisterTargets", current -> withTarget(current, "127.0.0.1", 9100));
        }
        try (FileStore store = FileStore.open(dir)) {
            ControlPlane plane = plane(store);
            plane.applyFile(file(1, 10, 2, "127.0.0.1:9001"), "restart with the same file");
            assertThat(targets(plane)).as("the API's target stays").containsExactly("127.0.0.1:9001", "127.0.0.1:9100");
            plane.applyFile(file(1, 10, 2, "127.0.0.1:9002"), "the file replaces its own target");
            assertThat(targets(plane)).containsExactly("127.0.0.1:9002", "127.0.0.1:9100");
            assertThat(plane.preview(file(1, 10, 2, "127.0.0.1:9002")))
                    .as("a diff of the same file sees no change").isEqualTo(plane.current().config());
        }
    }

    private static List<String> targets(ControlPlane plane) {
        return plane.current().config().targetGroup("static").targets().stream().map(Target::address).toList();
    }

    private static FulcrumConfig withTarget(FulcrumConfig config, String id, int port) {
        List<TargetGroup> groups = new ArrayList<>();
        for (TargetGroup g : config.targetGroups()) {
            if (g.name().equals("static")) {
                List<Target> targets = new ArrayList<>(g.targets());
                targets.add(new Target(id, port, Target.DEFAULT_WEIGHT));
                g = new TargetGroup(g.name(), g.protocol(), g.port(), g.targetType(), targets, g.healthCheck(),
                        g.attributes(), g.protocolVersion());
            }
            groups.add(g);
        }
        return new FulcrumConfig(config.loadBalancers(), groups, config.launchTemplates(), config.autoScalingGroups());
    }

    @Test
    void aDocumentStoredAsTheConfigAloneStillReads() throws Exception {
        MemoryStore store = new MemoryStore(Clock.systemUTC(), 10);
        store.compareAndSet(0, io.fulcrum.config.ConfigWriter.toCompactJson(file(1, 10, 2, "127.0.0.1:9001")), "old");
        ControlPlane plane = plane(store);
        assertThat(desired(plane)).isEqualTo(2);
        assertThat(plane.lastDeclared()).isEqualTo(LastDeclared.NONE);
    }

    @Test
    void aDeclaredDocumentWithAStaleRevisionIsRefused() throws Exception {
        ControlPlane plane = plane(new MemoryStore(Clock.systemUTC(), 10));
        plane.apply(0, file(1, 10, 2, "127.0.0.1:9001"), "PUT");
        assertThatThrownBy(() -> plane.apply(0, file(1, 10, 3, "127.0.0.1:9001"), "late PUT"))
                .isInstanceOf(StaleRevisionException.class);
        assertThat(desired(plane)).isEqualTo(2);
        assertThat(plane.apply(1, file(1, 10, 3, "127.0.0.1:9001"), "PUT").revision()).isEqualTo(2);
    }

    @Test
    void theFirstApplyServesEvenWhenNothingChanged() throws Exception {
        MemoryStore store = new MemoryStore(Clock.systemUTC(), 10);
        plane(store).applyFile(file(1, 10, 2, "127.0.0.1:9001"), "first run");
        applied.clear();
        ControlPlane restarted = plane(store);
        restarted.applyFile(file(1, 10, 2, "127.0.0.1:9001"), "second run, same file");
        assertThat(restarted.current().revision()).isEqualTo(1);
        assertThat(applied).as("the stored state is served once").hasSize(1);
    }
}
