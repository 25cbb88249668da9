package io.fulcrum.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.config.ConfigLoader;
import io.fulcrum.health.TargetState;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.Target;
import io.fulcrum.scaling.launcher.Instances;
import io.fulcrum.scaling.launcher.LocalProcessLauncher;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group with {@code keepInstancesOnExit: true} leaves its instances running when auto scaling and
 * the launcher shut down, and the next run adopts them instead of launching others; a group without
 * it has its instances stopped.
 */
class KeepInstancesOnExitTest {
    private static final TargetRegistry NO_TARGET_GROUPS = new TargetRegistry() {
        @Override
        public void register(String targetGroupName, Target target) {
        }

        @Override
        public CompletableFuture<Void> deregister(String targetGroupName, Target target) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public Optional<TargetState> state(String targetGroupName, Target target) {
            return Optional.empty();
        }
    };

    @TempDir
    Path dataDirectory;

    private static FulcrumConfig config() throws Exception {
        return ConfigLoader.parse("""
                launchTemplates:
                  - {name: sleeper, command: [sh, -c, "exec sleep 600"], terminationGracePeriod: 2s}
                autoScalingGroups:
                  - {name: kept, launchTemplateName: sleeper, minSize: 0, maxSize: 3, desiredCapacity: 2,
                     zones: [zone-a], keepInstancesOnExit: true}
                  - {name: stopped, launchTemplateName: sleeper, minSize: 0, maxSize: 3, desiredCapacity: 1,
                     zones: [zone-a]}
                """);
    }

    private static List<InstanceDescription> inService(AutoScaling autoScaling, String group) {
        return autoScaling.group(group).orElseThrow().instances().stream()
                .filter(i -> i.lifecycleState() == LifecycleState.IN_SERVICE).toList();
    }

    @Test
    void keptInstancesSurviveTheShutdownAndAreAdoptedByTheNextRun() throws Exception {
        FulcrumConfig config = config();
        Map<String, Long> keptPids = new HashMap<>();
        long stoppedPid;
        LocalProcessLauncher firstLauncher = Instances.launcher(dataDirectory).random(new Random(1)).build();
        AutoScaling first = new AutoScaling(firstLauncher, NO_TARGET_GROUPS, Clock.systemUTC(), new Random(1),
                GroupFixture.SETTINGS);
        try {
            first.apply(config);
            await().atMost(Duration.ofSeconds(30)).until(() -> inService(first, "kept").size() == 2
                    && inService(first, "stopped").size() == 1);
            for (InstanceDescription instance : inService(first, "kept")) {
                keptPids.put(instance.instanceId(), firstLauncher.describe(instance.instanceId()).orElseThrow().pid());
            }
            stoppedPid = firstLauncher.describe(inService(first, "stopped").get(0).instanceId()).orElseThrow().pid();
        } finally {
            first.close();
            firstLauncher.close();
        }
        assertThat(keptPids.values()).allMatch(pid -> !Instances.gone(pid));
        assertThat(Instances.gone(stoppedPid)).isTrue();

        LocalProcessLauncher secondLauncher = Instances.launcher(dataDirectory).random(new Random(2)).build();
        AutoScaling second = new AutoScaling(secondLauncher, NO_TARGET_GROUPS, Clock.systemUTC(), new Random(2),
                GroupFixture.SETTINGS);
        try {
            second.adopt(secondLauncher.adoptExisting());
            second.apply(config);
            await().atMost(Duration.ofSeconds(30)).until(() -> inService(second, "kept").size() == 2
                    && inService(second, "stopped").size() == 1);
            AutoScalingGroupController kept = second.group("kept").orElseThrow();
            assertThat(kept.instances()).extracting(InstanceDescription::instanceId)
                    .containsExactlyInAnyOrderElementsOf(keptPids.keySet());
            assertThat(kept.instances()).allMatch(InstanceDescription::adopted);
            assertThat(kept.activities()).isEmpty(); // nothing launched for it
            for (Map.Entry<String, Long> entry : keptPids.entrySet()) {
                assertThat(secondLauncher.describe(entry.getKey()).orElseThrow().pid()).isEqualTo(entry.getValue());
            }
            // the other group's instance was stopped with the first run: this one is new
            assertThat(second.group("stopped").orElseThrow().instances()).noneMatch(InstanceDescription::adopted);
        } finally {
            second.close();
            secondLauncher.close();
            Instances.killAll(dataDirectory);
        }
    }
}
