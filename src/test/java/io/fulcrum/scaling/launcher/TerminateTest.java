package io.fulcrum.scaling.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fulcrum.scaling.ExitInfo;
import io.fulcrum.scaling.ExitReason;
import io.fulcrum.scaling.Instance;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** terminate(): SIGTERM to the whole tree, SIGKILL when the grace period runs out, done when all is gone. */
class TerminateTest extends LauncherTestBase {
    @Test
    void aProcessThatHonoursSigtermStopsWithinItsGrace() throws Exception {
        Instance instance = launcher.launch(Instances.request(Instances.shell("exec sleep 60", Duration.ofMinutes(5)))).get();

        ExitInfo exit = launcher.terminate(instance.id()).get(60, TimeUnit.SECONDS);

        assertThat(exit.reason()).isEqualTo(ExitReason.TERMINATED);
        assertThat(exit.requested()).isTrue();
        assertThat(exit.exitCode()).hasValue(128 + 15);
        assertThat(instance.onExit()).isCompletedWithValue(exit);
        assertThat(Instances.gone(instance.pid())).isTrue();
        assertThat(launcher.instances()).isEmpty();
        assertThat(Files.exists(data.resolve("instances").resolve(instance.id() + ".json"))).isFalse();
    }

    @Test
    void aTreeThatIgnoresSigtermIsKilledWholeAfterTheGrace() throws Exception {
        // the shell and its child ignore TERM; the grandchild even left for a session of its own
        Instance instance = launcher.launch(Instances.request(Instances.shell(
                "trap '' TERM; sleep 60 & setsid sleep 61 & wait", Duration.ofMillis(300)))).get();
        await().until(() -> tree(instance).size() == 3);
        List<Long> pids = tree(instance);

        ExitInfo exit = launcher.terminate(instance.id()).get(60, TimeUnit.SECONDS);

        assertThat(exit.reason()).isEqualTo(ExitReason.KILLED);
        assertThat(exit.exitCode()).hasValue(128 + 9);
        assertThat(pids).allMatch(Instances::gone);
    }

    @Test
    void terminatingTwiceGivesTheSameOutcome() throws Exception {
        Instance instance = launcher.launch(Instances.request(Instances.shell("exec sleep 60", Duration.ofMinutes(5)))).get();

        ExitInfo first = launcher.terminate(instance.id()).get(60, TimeUnit.SECONDS);

        assertThat(instance.onExit().get()).isEqualTo(first);
        assertThatThrownBy(() -> launcher.terminate(instance.id()).get())
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(instance.id());
    }

    /** The instance's process and every descendant, plus processes holding its marker (the one that left). */
    private static List<Long> tree(Instance instance) {
        return ProcFs.pids().stream()
                .filter(pid -> ProcFs.hasVariable(pid, "FULCRUM_INSTANCE_ID", instance.id()))
                .filter(pid -> ProcFs.stat(pid).filter(ProcFs.Stat::running).isPresent())
                .collect(Collectors.toList());
    }
}
