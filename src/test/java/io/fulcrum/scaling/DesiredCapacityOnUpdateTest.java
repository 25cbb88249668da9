package io.fulcrum.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.model.HealthCheckType;
import io.fulcrum.scaling.launcher.Instances;
import io.fulcrum.scaling.launcher.LocalProcessLauncher;
import io.fulcrum.server.ServerTargetRegistry;
import io.fulcrum.testing.RunningFulcrum;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reloaded spec resets the controller's desired capacity only when the spec's own desiredCapacity
 * changed: a live value (policy or API) survives edits of other fields. The controller is not started,
 * so nothing is launched.
 */
class DesiredCapacityOnUpdateTest {
    @TempDir
    Path dir;

    @Test
    void anUnchangedSpecValueKeepsTheLiveDesiredCapacity() throws Exception {
        try (RunningFulcrum fulcrum = RunningFulcrum.start("targetGroups: [{name: web, targetType: instance}]");
             LocalProcessLauncher launcher = Instances.launcher(dir).random(new Random(1)).build()) {
            AutoScalingGroupController group = new AutoScalingGroupController(
                    GroupFixture.spec(1, 10, 2, HealthCheckType.EC2, Duration.ZERO), Instances.demoBackend(), launcher,
                    new ServerTargetRegistry(fulcrum.server()), Clock.systemUTC(), new Random(7), GroupFixture.SETTINGS);
            try {
                group.setDesiredCapacity(6); // as a policy or the API would
                group.update(GroupFixture.spec(1, 8, 2, HealthCheckType.EC2, Duration.ZERO), Instances.demoBackend());
                assertThat(group.spec().desiredCapacity()).as("the spec's value did not change").isEqualTo(6);
                assertThat(group.spec().maxSize()).isEqualTo(8);

                group.update(GroupFixture.spec(1, 4, 2, HealthCheckType.EC2, Duration.ZERO), Instances.demoBackend());
                assertThat(group.spec().desiredCapacity()).as("clamped to the new maxSize").isEqualTo(4);

                group.update(GroupFixture.spec(1, 4, 3, HealthCheckType.EC2, Duration.ZERO), Instances.demoBackend());
                assertThat(group.spec().desiredCapacity()).as("the spec's value changed: it applies").isEqualTo(3);
            } finally {
                group.shutdown().join();
            }
        }
    }
}
