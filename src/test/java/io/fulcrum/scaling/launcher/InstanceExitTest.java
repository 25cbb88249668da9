package io.fulcrum.scaling.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.scaling.ExitInfo;
import io.fulcrum.scaling.ExitReason;
import io.fulcrum.scaling.Instance;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An instance that dies is reported through onExit(), and what it left behind is stopped. */
class InstanceExitTest extends LauncherTestBase {
    @Test
    void killMinus9IsReportedWithItsExitCode() throws Exception {
        Instance instance = launcher.launch(Instances.request(Instances.shell("exec sleep 60", Duration.ofSeconds(5)))).get();

        ProcessHandle.of(instance.pid()).orElseThrow().destroyForcibly();

        ExitInfo exit = instance.onExit().get(30, TimeUnit.SECONDS);
        assertThat(exit.instanceId()).isEqualTo(instance.id());
        assertThat(exit.pid()).isEqualTo(instance.pid());
        assertThat(exit.reason()).isEqualTo(ExitReason.EXITED);
        assertThat(exit.requested()).isFalse();
        assertThat(exit.exitCode()).hasValue(128 + 9);
        assertThat(instance.isAlive()).isFalse();
        assertThat(launcher.instances()).isEmpty();
        assertThat(launcher.describe(instance.id())).isEmpty();
        await().until(() -> !Files.exists(data.resolve("instances").resolve(instance.id() + ".json")));
    }

    @Test
    void childrenLeftBehindByADeadInstanceAreStopped() throws Exception {
        Instance instance = launcher.launch(Instances.request(
                Instances.shell("sleep 60 & wait", Duration.ofSeconds(5)))).get();
        await().until(() -> ProcessHandle.of(instance.pid()).orElseThrow().children().count() == 1);
        long child = ProcessHandle.of(instance.pid()).orElseThrow().children().findFirst().orElseThrow().pid();

        ProcessHandle.of(instance.pid()).orElseThrow().destroyForcibly();

        assertThat(instance.onExit().get(30, TimeUnit.SECONDS).exitCode()).hasValue(137);
        await().until(() -> Instances.gone(child));
    }

    @Test
    void onExitCannotBeCompletedByACaller() throws Exception {
        Instance instance = launcher.launch(Instances.request(Instances.shell("exec sleep 60", Duration.ofSeconds(5)))).get();

        instance.onExit().cancel(true);

        assertThat(instance.onExit()).isNotDone();
        assertThat(instance.isAlive()).isTrue();
    }
}
