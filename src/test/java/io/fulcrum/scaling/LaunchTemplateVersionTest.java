package io.fulcrum.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.HealthCheckType;
import io.fulcrum.model.LaunchTemplate;
import io.fulcrum.scaling.launcher.Instances;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new template version applies to new launches only; each instance shows its version; scale-in takes the older first. */
class LaunchTemplateVersionTest {
    @TempDir
    Path dir;

    @Test
    void newVersionForNewLaunchesAndOlderVersionGoesFirst() throws Exception {
        LaunchTemplate v3 = Instances.demoBackend("--zone", "${ZONE}");
        AutoScalingGroup spec = GroupFixture.spec(1, 3, 2, HealthCheckType.EC2, Duration.ofMinutes(5));
        try (GroupFixture f = GroupFixture.start(dir, spec, "{deregistrationDelay: 1s}")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 2);
            assertThat(f.inService()).extracting(InstanceDescription::launchTemplateVersion).containsOnly(3);

            f.group.update(spec.withLaunchTemplateVersion("$Latest"), v3.withVersion(4));
            // update is asynchronous: it is applied on the controller thread
            await().atMost(Duration.ofSeconds(10)).until(() -> f.group.describe().launchingVersion() == 4);
            assertThat(f.group.describe().launchTemplateVersion()).isEqualTo("$Latest");
            assertThat(f.group.instances()).extracting(InstanceDescription::launchTemplateVersion).containsOnly(3);

            f.group.setDesiredCapacity(3);
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 3);
            InstanceDescription newest = f.inService().stream().filter(i -> i.launchTemplateVersion() == 4)
                    .findFirst().orElseThrow();
            assertThat(newest.zone()).isEqualTo("zone-a"); // zones tie at one each: the first

            // zone-a holds two: of those, Default takes the older version
            InstanceDescription olderInA = f.inService().stream()
                    .filter(i -> i.zone().equals("zone-a") && i.launchTemplateVersion() == 3).findFirst().orElseThrow();
            f.group.setDesiredCapacity(2);
            await().atMost(Duration.ofSeconds(30)).until(() -> f.group.instances().size() == 2);
            assertThat(f.group.instances()).extracting(InstanceDescription::instanceId)
                    .doesNotContain(olderInA.instanceId()).contains(newest.instanceId());
        }
    }
}
