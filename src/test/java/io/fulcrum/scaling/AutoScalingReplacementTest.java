package io.fulcrum.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.model.HealthCheckType;
import io.fulcrum.scaling.launcher.Instances;
import io.fulcrum.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dead instance is replaced at once, an ELB-unhealthy one after the grace period; traffic keeps being answered. */
class AutoScalingReplacementTest {
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

    @TempDir
    Path dir;

    @Test
    void killedInstanceIsReplacedAndNoRequestFailsOnceItsDeathWasNoticed() throws Exception {
        ExecutorService loop = Executors.newSingleThreadExecutor();
        try (GroupFixture f = GroupFixture.start(dir, GroupFixture.spec(2, 4, 2, HealthCheckType.ELB, Duration.ofMinutes(5)),
                "{deregistrationDelay: 5s}")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 2);
            InstanceDescription victim = f.inService().get(0);
            long pid = f.pid(victim);

            AtomicBoolean noticed = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger afterNotice = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            Future<?> client = loop.submit(() -> {
                while (!stop.get()) {
                    boolean counted = noticed.get();
                    int status;
                    try {
                        status = f.get("/").statusCode();
                    } catch (Exception e) {
                        status = -1;
                    }
                    if (counted) {
                        afterNotice.incrementAndGet();
                        if (status < 200 || status > 299) {
                            failures.incrementAndGet();
                        }
                    }
                }
                return null;
            });
            ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
            await().atMost(Duration.ofSeconds(10)).until(() -> f.group.instances().stream()
                    .noneMatch(i -> i.instanceId().equals(victim.instanceId()) && i.lifecycleState() == LifecycleState.IN_SERVICE));
            noticed.set(true);
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 2
                    && f.group.instances().size() == 2
                    && f.inService().stream().noneMatch(i -> i.instanceId().equals(victim.instanceId())));
            await().atMost(Duration.ofSeconds(10)).until(() -> afterNotice.get() >= 20);
            stop.set(true);
            client.get();
            assertThat(failures.get()).as("non-2xx answers of %d requests", afterNotice.get()).isZero();
            assertThat(Instances.gone(pid)).isTrue();

            List<ScalingActivity> activities = f.group.activities();
            ScalingActivity termination = activities.stream()
                    .filter(a -> a.description().equals("Terminating EC2 instance: " + victim.instanceId())).findFirst().orElseThrow();
            assertThat(termination.cause()).matches("At " + TIME + " an instance was taken out of service in response"
                    + " to an EC2 health check indicating it has been terminated or stopped\\.");
            assertThat(termination.status()).isEqualTo(ActivityStatus.SUCCESSFUL);
            assertThat(activities.get(0).cause()).matches("At " + TIME
                    + " an instance was launched in response to an unhealthy instance needing to be replaced\\.");
            assertThat(activities.get(0).status()).isEqualTo(ActivityStatus.SUCCESSFUL);
        } finally {
            loop.shutdownNow();
        }
    }

    @Test
    void elbUnhealthyInstanceIsReplacedOnlyAfterTheGracePeriod() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2026-11-25T15:04:05Z"));
        try (GroupFixture f = GroupFixture.start(dir, GroupFixture.spec(2, 4, 2, HealthCheckType.ELB, Duration.ofSeconds(60)),
                Instances.demoBackend("--zone", "${ZONE}"), "{deregistrationDelay: 5s}", clock, GroupFixture.SETTINGS)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 2);
            InstanceDescription sick = f.inService().get(0);
            assertThat(f.direct(sick, "/health/fail").statusCode()).isEqualTo(503);
            await().atMost(Duration.ofSeconds(10)).until(() -> f.fulcrum.server().targetGroup("web").targets().stream()
                    .anyMatch(t -> t.key().equals("127.0.0.1:" + sick.port())
                            && t.health().state() == io.fulcrum.health.TargetState.UNHEALTHY));
            // within the grace period (the group's clock has not moved) ELB health is not acted on
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> f.group.instances().stream().allMatch(i -> i.lifecycleState() == LifecycleState.IN_SERVICE));

            clock.advance(Duration.ofSeconds(61));
            await().atMost(Duration.ofSeconds(30)).until(() -> f.inService().size() == 2
                    && f.group.instances().stream().noneMatch(i -> i.instanceId().equals(sick.instanceId())));
            ScalingActivity termination = f.group.activities().stream()
                    .filter(a -> a.description().equals("Terminating EC2 instance: " + sick.instanceId())).findFirst().orElseThrow();
            assertThat(termination.cause()).isEqualTo("At 2026-11-25T15:05:06Z an instance was taken out of service"
                    + " in response to an ELB system health check failure.");
            assertThat(f.group.activities()).filteredOn(a -> a.description().startsWith("Terminating")).hasSize(1);
        }
    }
}
