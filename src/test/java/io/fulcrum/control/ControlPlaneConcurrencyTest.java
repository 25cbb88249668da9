package io.fulcrum.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.config.ConfigLoader;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.Target;
import io.fulcrum.model.TargetGroup;
import io.fulcrum.store.FileStore;
import io.fulcrum.store.StaleRevisionException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API-style writers, each adding targets with the revision it read (If-Match): conflicts retry, none is lost. */
class ControlPlaneConcurrencyTest {
    private static final int WRITERS = 4;
    private static final int TARGETS_EACH = 10;

    @TempDir
    Path dir;

    @Test
    void writersWithRevisionsLoseNoTarget() throws Exception {
        try (FileStore store = FileStore.open(dir)) {
            ControlPlane plane = new ControlPlane(store, (config, revision) -> { });
            plane.applyFile(ConfigLoader.parse("targetGroups: [{name: web}]"), "start");
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            int[] conflicts = new int[WRITERS];
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < TARGETS_EACH; i++) {
                            Target target = new Target("127.0.0.1", 10_000 + writer * 100 + i, 1);
                            while (true) {
                                DesiredState read = plane.current();
                                FulcrumConfig next = withTarget(read.config(), target);
                                try {
                                    plane.update(read.revision(), "register " + target.address(), current -> next);
                                    break;
                                } catch (StaleRevisionException e) {
                                    conflicts[writer]++;
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> future : done) {
                    future.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(plane.current().config().targetGroup("web").targets()).hasSize(WRITERS * TARGETS_EACH);
            assertThat(plane.current().revision()).isEqualTo(1 + WRITERS * TARGETS_EACH);
        }
    }

    private static FulcrumConfig withTarget(FulcrumConfig config, Target target) {
        List<TargetGroup> groups = new ArrayList<>();
        for (TargetGroup group : config.targetGroups()) {
            List<Target> targets = new ArrayList<>(group.targets());
            targets.add(target);
            groups.add(new TargetGroup(group.name(), group.protocol(), group.port(), group.targetType(), targets,
                    group.healthCheck(), group.attributes()));
        }
        return new FulcrumConfig(config.loadBalancers(), groups, config.launchTemplates(), config.autoScalingGroups());
    }
}
