package io.fulcrum.scaling.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.scaling.ExitInfo;
import io.fulcrum.scaling.ExitReason;
import io.fulcrum.scaling.Instance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restarted Fulcrum adopts the instances it launched before, instead of launching duplicates. */
class AdoptionTest {
    @TempDir
    Path data;
    LocalProcessLauncher before;
    LocalProcessLauncher after;

    @AfterEach
    void stop() throws Exception {
        if (before != null) {
            before.close();
        }
        if (after != null) {
            after.close();
        }
        Instances.killAll(data);
    }

    /** Fulcrum "killed": a launcher that keeps its instances, closed without stopping them. */
    private Instance launchThenRestart(String script, Duration grace) throws Exception {
        before = Instances.launcher(data).keepInstancesOnExit(true).build();
        Instance instance = before.launch(Instances.request(Instances.shell(script, grace))).get();
        before.close();
        after = Instances.launcher(data).build();
        return instance;
    }

    @Test
    void aRestartedLauncherAdoptsTheRunningInstance() throws Exception {
        Instance original = launchThenRestart("exec sleep 60", Duration.ofSeconds(5));

        List<Instance> adopted = after.adoptExisting();

        assertThat(adopted).hasSize(1);
        Instance instance = adopted.get(0);
        assertThat(instance.adopted()).isTrue();
        assertThat(instance.id()).isEqualTo(original.id());
        assertThat(instance.pid()).isEqualTo(original.pid());
        assertThat(instance.port()).isEqualTo(original.port());
        assertThat(instance.zone()).isEqualTo("zone-a");
        assertThat(instance.group()).isEqualTo("web-asg");
        assertThat(instance.templateName()).isEqualTo("shell");
        assertThat(instance.launchTime()).isEqualTo(original.launchTime());
        assertThat(instance.isAlive()).isTrue();
        assertThat(after.instances()).containsExactly(instance);
        assertThat(after.adoptExisting()).as("adopting twice adds nothing").isEmpty();
    }

    @Test
    void theDeathOfAnAdoptedInstanceIsNoticedByPolling() throws Exception {
        launchThenRestart("exec sleep 60", Duration.ofSeconds(5));
        Instance instance = after.adoptExisting().get(0);

        ProcessHandle.of(instance.pid()).orElseThrow().destroyForcibly();

        ExitInfo exit = instance.onExit().get(30, TimeUnit.SECONDS);
        assertThat(exit.reason()).isEqualTo(ExitReason.VANISHED);
        assertThat(exit.exitCode()).isEmpty();
        assertThat(after.instances()).isEmpty();
        await().until(() -> !Files.exists(data.resolve("instances").resolve(instance.id() + ".json")));
    }

    @Test
    void anAdoptedInstanceIsTerminatedWholeAndItsPortIsNotGivenOutMeanwhile() throws Exception {
        launchThenRestart("trap '' TERM; sleep 60 & wait", Duration.ofMillis(200));
        Instance instance = after.adoptExisting().get(0);
        await().until(() -> ProcessHandle.of(instance.pid()).orElseThrow().children().count() == 1);
        long child = ProcessHandle.of(instance.pid()).orElseThrow().children().findFirst().orElseThrow().pid();
        Instance fresh = after.launch(Instances.request(Instances.shell("exec sleep 60", Duration.ofSeconds(5)))).get();
        assertThat(fresh.port()).isNotEqualTo(instance.port());

        ExitInfo exit = after.terminate(instance.id()).get(30, TimeUnit.SECONDS);

        assertThat(exit.reason()).isEqualTo(ExitReason.KILLED);
        assertThat(exit.exitCode()).isEmpty();
        assertThat(Instances.gone(instance.pid())).isTrue();
        assertThat(Instances.gone(child)).isTrue();
    }

    @Test
    void aRecordOfAnInstanceThatDiedMeanwhileIsForgotten() throws Exception {
        before = Instances.launcher(data).keepInstancesOnExit(true).build();
        Instance instance = before.launch(Instances.request(Instances.shell("exec sleep 60", Duration.ofSeconds(5)))).get();
        before.close();
        ProcessHandle.of(instance.pid()).orElseThrow().destroyForcibly();
        await().until(() -> Instances.gone(instance.pid()));
        after = Instances.launcher(data).build();

        assertThat(after.adoptExisting()).isEmpty();
        assertThat(data.resolve("instances").resolve(instance.id() + ".json")).doesNotExist();
        assertThat(data.resolve("instances").resolve(instance.id() + ".log")).as("the log is kept").exists();
    }
}
