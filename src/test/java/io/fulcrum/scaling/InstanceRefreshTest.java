package io.fulcrum.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.HealthCheckType;
import io.fulcrum.model.LaunchTemplate;
import io.fulcrum.scaling.launcher.Instances;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Instance refresh with real instances: batches keeping the group healthy, cancel, and rollback of a broken version. */
class InstanceRefreshTest {
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
    private static final InstanceRefreshPreferences QUICK = new InstanceRefreshPreferences(90, Duration.ofMillis(200), false);

    @TempDir
    Path dir;

    private static AutoScalingException thrown(Runnable call) {
        try {
            call.run();
        } catch (AutoScalingException e) {
            return e;
        }
        throw new AssertionError("expected an AutoScalingException");
    }

    @Test
    void replacesOldVersionsOneAtATimeKeepingTheGroupServing() throws Exception {
        LaunchTemplate v3 = Instances.demoBackend("--zone", "${ZONE}");
        AutoScalingGroup spec = GroupFixture.spec(2, 3, 2, HealthCheckType.ELB, Duration.ofMinutes(5));
        try (GroupFixture f = GroupFixture.start(dir, spec, "{deregistrationDelay: 1s}")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 2);
            assertThat(thrown(f.group::cancelInstanceRefresh).code()).isEqualTo(AutoScalingErrorCode.ActiveInstanceRefreshNotFound);

            f.group.update(spec, v3.withVersion(4));
            InstanceRefresh started = f.group.startInstanceRefresh(QUICK);
            assertThat(started.status()).isEqualTo(InstanceRefreshStatus.InProgress);
            assertThat(started.targetVersion()).isEqualTo(4);
            assertThat(thrown(() -> f.group.startInstanceRefresh(QUICK)).code())
                    .isEqualTo(AutoScalingErrorCode.InstanceRefreshInProgress);

            // with 2 desired and 90 %, one at a time: never fewer than one InService meanwhile
            AtomicInteger fewest = new AtomicInteger(Integer.MAX_VALUE);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                fewest.accumulateAndGet(f.inService().size(), Math::min);
                return !f.group.instanceRefreshes().get(0).status().active();
            });
            InstanceRefresh done = f.group.instanceRefreshes().get(0);
            assertThat(done.status()).isEqualTo(InstanceRefreshStatus.Successful);
            assertThat(done.percentageComplete()).isEqualTo(100);
            assertThat(done.endTime()).isNotNull();
            assertThat(fewest.get()).isGreaterThanOrEqualTo(1);
            assertThat(f.inService()).hasSize(2).extracting(InstanceDescription::launchTemplateVersion).containsOnly(4);
            assertThat(f.group.activities()).filteredOn(a -> a.description().startsWith("Terminating")).hasSize(2)
                    .allSatisfy(a -> assertThat(a.cause()).matches("At " + TIME + " an instance was taken out of service"
                            + " in response to an instance refresh\\.  At " + TIME + " instance i-[0-9a-f]{17} was"
                            + " selected for termination\\."));
        }
    }

    @Test
    void aVersionThatCannotStartIsRolledBack() throws Exception {
        LaunchTemplate v3 = Instances.demoBackend("--zone", "${ZONE}");
        LaunchTemplate broken = new LaunchTemplate("demo", 5, List.of("sh", "-c", "exit 3"), Map.of(), null,
                Duration.ofSeconds(1));
        AutoScalingGroup spec = GroupFixture.spec(1, 3, 2, HealthCheckType.EC2, Duration.ofMinutes(5));
        try (GroupFixture f = GroupFixture.start(dir, spec, "{deregistrationDelay: 1s}")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 2);
            f.group.update(spec, broken);
            f.group.startInstanceRefresh(new InstanceRefreshPreferences(50, Duration.ZERO, true));
            await().atMost(Duration.ofSeconds(60)).until(() -> !f.group.instanceRefreshes().get(0).status().active());
            InstanceRefresh refresh = f.group.instanceRefreshes().get(0);
            assertThat(refresh.status()).isEqualTo(InstanceRefreshStatus.RollbackSuccessful);
            assertThat(refresh.statusReason()).startsWith("An instance failed to launch: ");
            assertThat(refresh.targetVersion()).isEqualTo(3);
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 2);
            assertThat(f.inService()).extracting(InstanceDescription::launchTemplateVersion).containsOnly(3);
            assertThat(f.group.describe().launchingVersion()).isEqualTo(3);
            assertThat(f.group.activities()).anySatisfy(a -> assertThat(a.status()).isEqualTo(ActivityStatus.FAILED));
        }
    }

    @Test
    void cancelledBeforeItActs() throws Exception {
        LaunchTemplate v3 = Instances.demoBackend("--zone", "${ZONE}");
        AutoScalingGroup spec = GroupFixture.spec(1, 3, 1, HealthCheckType.EC2, Duration.ofMinutes(5));
        try (GroupFixture f = GroupFixture.start(dir, spec, "{deregistrationDelay: 1s}")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 1);
            String only = f.inService().get(0).instanceId();
            f.group.suspendProcesses(Set.of(ProcessType.InstanceRefresh));
            f.group.update(spec, v3.withVersion(4));
            f.group.startInstanceRefresh(InstanceRefreshPreferences.DEFAULTS);
            InstanceRefresh cancelled = f.group.cancelInstanceRefresh();
            assertThat(cancelled.status()).isEqualTo(InstanceRefreshStatus.Cancelled);
            assertThat(cancelled.percentageComplete()).isZero();
            assertThat(cancelled.instancesToUpdate()).isEqualTo(1);
            f.group.resumeProcesses(Set.of());
            assertThat(f.group.instances()).extracting(InstanceDescription::instanceId).containsExactly(only);
            assertThat(thrown(f.group::rollbackInstanceRefresh).code())
                    .isEqualTo(AutoScalingErrorCode.ActiveInstanceRefreshNotFound);
        }
    }
}
