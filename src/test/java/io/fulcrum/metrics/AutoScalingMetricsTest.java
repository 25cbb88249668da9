package io.fulcrum.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.health.TargetState;
import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.HealthCheckType;
import io.fulcrum.model.LaunchTemplate;
import io.fulcrum.model.Target;
import io.fulcrum.scaling.AutoScalingGroupController;
import io.fulcrum.scaling.AutoScalingSettings;
import io.fulcrum.scaling.ExitInfo;
import io.fulcrum.scaling.Instance;
import io.fulcrum.scaling.LaunchRequest;
import io.fulcrum.scaling.Launcher;
import io.fulcrum.scaling.TargetRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The auto scaling gauges read the controllers: sizes and instances by lifecycle state; a removed group's go. */
class AutoScalingMetricsTest {
    /** Targets become healthy when the test says so; deregistrations drain until it says so. */
    private volatile TargetState health = TargetState.INITIAL;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    @Test
    void gaugesFollowTheGroupAndLeaveWithIt() {
        FakeLauncher launcher = new FakeLauncher();
        AutoScalingGroupController group = new AutoScalingGroupController(
                new AutoScalingGroup("web-asg", "tpl", 1, 5, 2, List.of("zone-a"), List.of("web"), HealthCheckType.ELB,
                        Duration.ofHours(1)),
                new LaunchTemplate("tpl", 1, List.of("true"), Map.of(), null, Duration.ofSeconds(1)), launcher,
                new Registry(), Clock.systemUTC(), new Random(1), AutoScalingSettings.DEFAULTS);
        List<AutoScalingGroupController> groups = new CopyOnWriteArrayList<>(List.of(group));
        try (FulcrumMetrics metrics = new FulcrumMetrics(false)) {
            metrics.watchAutoScaling(() -> groups);
            group.start();
            String[] asg = {"auto_scaling_group", "web-asg"};
            await().atMost(Duration.ofSeconds(10)).until(() -> new Scrape(metrics.scrape())
                    .value("fulcrum_asg_pending_instances", asg) == 2);
            Scrape s = new Scrape(metrics.scrape());
            assertThat(s.value("fulcrum_asg_min_size", asg)).isEqualTo(1);
            assertThat(s.value("fulcrum_asg_max_size", asg)).isEqualTo(5);
            assertThat(s.value("fulcrum_asg_desired_capacity", asg)).isEqualTo(2);
            assertThat(s.value("fulcrum_asg_in_service_instances", asg)).isEqualTo(0);

            health = TargetState.HEALTHY;
            await().atMost(Duration.ofSeconds(10)).until(() -> new Scrape(metrics.scrape())
                    .value("fulcrum_asg_in_service_instances", asg) == 2);

            group.setDesiredCapacity(1); // one instance drains, held by the test
            await().atMost(Duration.ofSeconds(10)).until(() -> new Scrape(metrics.scrape())
                    .value("fulcrum_asg_terminating_instances", asg) == 1);
            s = new Scrape(metrics.scrape());
            assertThat(s.value("fulcrum_asg_desired_capacity", asg)).isEqualTo(1);
            assertThat(s.value("fulcrum_asg_in_service_instances", asg)).isEqualTo(1);

            int withGroup = metrics.meterCount();
            groups.clear();
            assertThat(metrics.scrape()).doesNotContain("web-asg");
            assertThat(metrics.meterCount()).isEqualTo(withGroup - 6);
        } finally {
            drained.complete(null);
            group.shutdown();
        }
    }

    private final class Registry implements TargetRegistry {
        @Override
        public void register(String targetGroupName, Target target) {
        }

        @Override
        public CompletableFuture<Void> deregister(String targetGroupName, Target target) {
            return drained;
        }

        @Override
        public Optional<TargetState> state(String targetGroupName, Target target) {
            return Optional.of(health);
        }
    }

    /** Instances that start at once and run until terminated; nothing is really launched. */
    private static final class FakeLauncher implements Launcher {
        private final AtomicInteger next = new AtomicInteger();
        private final List<Instance> live = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<Instance> launch(LaunchRequest request) {
            int n = next.incrementAndGet();
            CompletableFuture<ExitInfo> exit = new CompletableFuture<>();
            Instance instance = new Instance() {
                public String id() {
                    return String.format("i-%017x", n);
                }

                public long pid() {
                    return -1;
                }

                public int port() {
                    return 40000 + n;
                }

                public String zone() {
                    return request.zone();
                }

                public String group() {
                    return request.group();
                }

                public Instant launchTime() {
                    return Instant.EPOCH;
                }

                public String templateName() {
                    return request.template().name();
                }

                public int templateVersion() {
                    return 1;
                }

                public boolean adopted() {
                    return false;
                }

                public List<Integer> portConflicts() {
                    return List.of();
                }

                public Optional<Path> logFile() {
                    return Optional.empty();
                }

                public boolean isAlive() {
                    return !exit.isDone();
                }

                public CompletableFuture<ExitInfo> onExit() {
                    return exit;
                }
            };
            live.add(instance);
            return CompletableFuture.completedFuture(instance);
        }

        @Override
        public CompletableFuture<ExitInfo> terminate(String instanceId) {
            for (Instance instance : live) {
                if (instance.id().equals(instanceId)) {
                    live.remove(instance);
                    ExitInfo info = new ExitInfo(instanceId, -1, java.util.OptionalInt.of(0),
                            io.fulcrum.scaling.ExitReason.TERMINATED, Instant.EPOCH);
                    instance.onExit().complete(info);
                    return CompletableFuture.completedFuture(info);
                }
            }
            return CompletableFuture.failedFuture(new IllegalArgumentException(instanceId));
        }

        @Override
        public Optional<Instance> describe(String instanceId) {
            return live.stream().filter(i -> i.id().equals(instanceId)).findFirst();
        }

        @Override
        public List<Instance> instances() {
            return new ArrayList<>(live);
        }

        @Override
        public List<Instance> adoptExisting() {
            return List.of();
        }

        @Override
        public void close() {
        }
    }
}
