package io.fulcrum.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fulcrum.model.HealthCheckType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operations an admin API calls: standby, terminate, protection, with real instances and AWS's wording. */
class AutoScalingOperationsTest {
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

    @TempDir
    Path dir;

    private static InstanceDescription find(GroupFixture f, String id) {
        return f.group.instances().stream().filter(i -> i.instanceId().equals(id)).findFirst().orElse(null);
    }

    private static boolean registered(GroupFixture f, InstanceDescription instance) {
        return f.fulcrum.server().targetGroup("web").targets().stream().anyMatch(t -> !t.draining() && t.address().getPort() == instance.port());
    }

    private static ScalingActivity activity(GroupFixture f, String id) {
        return f.group.activities().stream().filter(a -> a.activityId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void standbyTerminateAndProtection() throws Exception {
        try (GroupFixture f = GroupFixture.start(dir, GroupFixture.spec(1, 3, 2, HealthCheckType.ELB, Duration.ofMinutes(5)),
                "{deregistrationDelay: 1s}")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 2);
            InstanceDescription a = f.inService().get(0);
            InstanceDescription b = f.inService().get(1);

            // Standby: out of the target group and of the capacity, still running
            List<ScalingActivity> standby = f.group.enterStandby(List.of(a.instanceId()), true);
            assertThat(standby).singleElement().satisfies(s -> {
                assertThat(s.description()).isEqualTo("Moving EC2 instance to Standby: " + a.instanceId());
                assertThat(s.cause()).matches("At " + TIME + " instance " + a.instanceId() + " was moved to standby in"
                        + " response to a user request, shrinking the capacity from 2 to 1\\.");
            });
            await().atMost(Duration.ofSeconds(15)).until(() -> find(f, a.instanceId()).lifecycleState() == LifecycleState.STANDBY);
            assertThat(activity(f, standby.get(0).activityId()).status()).isEqualTo(ActivityStatus.SUCCESSFUL);
            assertThat(f.group.describe().desiredCapacity()).isEqualTo(1);
            assertThat(registered(f, a)).isFalse();
            assertThat(f.direct(a, "/").statusCode()).isEqualTo(200);
            assertThat(f.group.instances()).hasSize(2); // no replacement: desired went down with it

            AutoScalingException notInStandby = catchCode(() -> f.group.exitStandby(List.of(b.instanceId())));
            assertThat(notInStandby.code()).isEqualTo(AutoScalingErrorCode.ValidationError);
            assertThat(notInStandby).hasMessage("instanceIds: " + b.instanceId() + " is InService (expected: an instance in Standby)");
            assertThat(catchCode(() -> f.group.enterStandby(List.of("i-00000000000000000"), false)).getMessage())
                    .startsWith("instanceId: i-00000000000000000 (expected: an instance of auto scaling group web-asg: ");
            assertThat(catchCode(() -> f.group.enterStandby(List.of(b.instanceId()), true)).getMessage())
                    .isEqualTo("shouldDecrementDesiredCapacity: true would set desiredCapacity to 0 (expected: at least minSize 1)");

            List<ScalingActivity> back = f.group.exitStandby(List.of(a.instanceId()));
            assertThat(back.get(0).cause()).matches("At " + TIME + " instance " + a.instanceId() + " was moved out of"
                    + " standby in response to a user request, increasing the capacity from 1 to 2\\.");
            assertThat(back.get(0).description()).isEqualTo("Moving EC2 instance out of Standby: " + a.instanceId());
            await().atMost(Duration.ofSeconds(15)).until(() -> find(f, a.instanceId()).lifecycleState() == LifecycleState.IN_SERVICE);
            assertThat(registered(f, a)).isTrue();
            assertThat(activity(f, back.get(0).activityId()).status()).isEqualTo(ActivityStatus.SUCCESSFUL);
            assertThat(f.group.describe().desiredCapacity()).isEqualTo(2);

            // protection: scale-in passes over b
            f.group.setInstanceProtection(List.of(b.instanceId()), true);
            assertThat(find(f, b.instanceId()).protectedFromScaleIn()).isTrue();
            f.group.setDesiredCapacity(1);
            await().atMost(Duration.ofSeconds(15)).until(() -> f.group.instances().size() == 1);
            assertThat(f.group.instances()).extracting(InstanceDescription::instanceId).containsExactly(b.instanceId());

            // a protected instance is still terminated on request; without decrement it is replaced
            ScalingActivity kill = f.group.terminateInstance(b.instanceId(), false);
            assertThat(kill.description()).isEqualTo("Terminating EC2 instance: " + b.instanceId());
            assertThat(kill.cause()).matches("At " + TIME + " instance " + Pattern.quote(b.instanceId())
                    + " was taken out of service in response to a user request\\.");
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 1
                    && !f.inService().get(0).instanceId().equals(b.instanceId()));
            String c = f.inService().get(0).instanceId();
            assertThat(f.group.activities().stream().filter(x -> x.description().equals("Launching a new EC2 instance: " + c)))
                    .singleElement().satisfies(x -> assertThat(x.cause()).matches("At " + TIME + " an instance was"
                            + " started in response to a difference between desired and actual capacity, increasing the"
                            + " capacity from 0 to 1\\."));
            assertThat(catchCode(() -> f.group.terminateInstance(c, true)).getMessage())
                    .isEqualTo("shouldDecrementDesiredCapacity: true would set desiredCapacity to 0 (expected: at least minSize 1)");

            // honouring the cooldown right after activities: refused with AWS's code
            assertThat(catchCode(() -> f.group.setDesiredCapacity(2, true)).code())
                    .isEqualTo(AutoScalingErrorCode.ScalingActivityInProgress);
            assertThat(f.group.describe().desiredCapacity()).isEqualTo(1);
        }
    }

    @Test
    void suspendedProcesses() throws Exception {
        try (GroupFixture f = GroupFixture.start(dir, GroupFixture.spec(1, 3, 1, HealthCheckType.EC2, Duration.ofMinutes(5)),
                "{deregistrationDelay: 1s}")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 1);
            InstanceDescription a = f.inService().get(0);

            f.group.suspendProcesses(Set.of(ProcessType.Launch));
            assertThat(f.group.describe().suspendedProcesses()).containsExactly(ProcessType.Launch);
            ProcessHandle.of(f.pid(a)).orElseThrow().destroyForcibly();
            // the death and any launch it would cause are handled in one step: once it is gone, none was launched
            await().atMost(Duration.ofSeconds(15)).until(() -> f.group.instances().isEmpty());
            assertThat(f.group.activities()).filteredOn(x -> x.description().startsWith("Launching")).hasSize(1);

            f.group.resumeProcesses(Set.of(ProcessType.Launch));
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 1);

            // AddToLoadBalancer: a new instance runs but is not registered until the process resumes
            f.group.suspendProcesses(Set.of(ProcessType.AddToLoadBalancer));
            f.group.setDesiredCapacity(2);
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 2);
            assertThat(f.fulcrum.server().targetGroup("web").targets()).hasSize(1);
            f.group.resumeProcesses(Set.of());
            assertThat(f.group.describe().suspendedProcesses()).isEmpty();
            assertThat(f.fulcrum.server().targetGroup("web").targets()).hasSize(2);

            // Terminate: a scale-in waits
            f.group.suspendProcesses(Set.of());
            assertThat(f.group.describe().suspendedProcesses()).containsExactlyInAnyOrder(ProcessType.values());
            f.group.setDesiredCapacity(1);
            assertThat(f.group.instances()).hasSize(2)
                    .allMatch(i -> i.lifecycleState() == LifecycleState.IN_SERVICE);
            f.group.resumeProcesses(Set.of(ProcessType.Terminate));
            await().atMost(Duration.ofSeconds(15)).until(() -> f.group.instances().size() == 1);
        }
    }

    private static AutoScalingException catchCode(Runnable call) {
        try {
            call.run();
        } catch (AutoScalingException e) {
            return e;
        }
        throw new AssertionError("expected an AutoScalingException");
    }
}
