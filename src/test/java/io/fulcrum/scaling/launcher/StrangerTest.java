package io.fulcrum.scaling.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.scaling.Instance;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A record whose pid now belongs to another process (a reused pid) never makes that process an instance. */
class StrangerTest {
    private static final String ID = "i-0123456789abcdef0";

    @TempDir
    Path data;
    LocalProcessLauncher launcher;
    Process stranger;

    @AfterEach
    void stop() throws Exception {
        if (launcher != null) {
            launcher.close();
        }
        if (stranger != null) {
            stranger.destroyForcibly().waitFor();
        }
        Instances.killAll(data);
    }

    private void record(long pid, long startTicks) throws Exception {
        java.nio.file.Files.createDirectories(data.resolve("instances"));
        new InstanceRecords(data.resolve("instances")).write(new InstanceRecord(ID, pid, ProcFs.bootId(), startTicks,
                Instant.now().toString(), 20_000, "zone-a", "web-asg", "shell", 1, 200, List.of("sleep", "60"),
                data.resolve("instances").resolve(ID + ".log").toString()));
    }

    @Test
    void aProcessWithoutTheMarkerIsNotAdoptedNorSignalled() throws Exception {
        stranger = new ProcessBuilder("sleep", "60").start();
        record(stranger.pid(), ProcFs.stat(stranger.pid()).orElseThrow().startTicks());
        launcher = Instances.launcher(data).build();

        assertThat(launcher.adoptExisting()).isEmpty();

        assertThat(launcher.instances()).isEmpty();
        assertThat(data.resolve("instances").resolve(ID + ".json")).doesNotExist();
        launcher.close(); // would stop it if it had been taken for an instance
        launcher = null;
        assertThat(stranger.isAlive()).isTrue();
    }

    @Test
    void fulcrumItselfIsNotAdopted() throws Exception {
        long self = ProcessHandle.current().pid();
        record(self, ProcFs.stat(self).orElseThrow().startTicks());
        launcher = Instances.launcher(data).build();

        assertThat(launcher.adoptExisting()).isEmpty();
    }

    @Test
    void theRightMarkerWithAnotherStartTimeIsNotAdopted() throws Exception {
        // the marker proves the process was launched for that id; the start time proves it is the same process
        LocalProcessLauncher first = Instances.launcher(data.resolve("other")).keepInstancesOnExit(true).build();
        Instance instance = first.launch(Instances.request(Instances.shell("exec sleep 60", Duration.ofSeconds(5)))).get();
        first.close();
        try {
            java.nio.file.Files.createDirectories(data.resolve("instances"));
            InstanceRecords records = new InstanceRecords(data.resolve("other").resolve("instances"));
            InstanceRecord real = records.readAll().get(0);
            new InstanceRecords(data.resolve("instances")).write(new InstanceRecord(real.instanceId(), real.pid(),
                    real.bootId(), real.startTicks() - 1, real.launchTime(), real.port(), real.zone(), real.group(),
                    real.templateName(), real.templateVersion(), real.terminationGracePeriodMillis(), real.command(),
                    real.logFile()));
            launcher = Instances.launcher(data).build();

            assertThat(launcher.adoptExisting()).isEmpty();
        } finally {
            Instances.killAll(data.resolve("other"));
        }
        assertThat(instance.id()).isNotNull();
    }

    @Test
    void aRecordFromAnotherBootIsNotAdopted() throws Exception {
        LocalProcessLauncher first = Instances.launcher(data).keepInstancesOnExit(true).build();
        first.launch(Instances.request(Instances.shell("exec sleep 60", Duration.ofSeconds(5)))).get();
        first.close();
        InstanceRecords records = new InstanceRecords(data.resolve("instances"));
        InstanceRecord real = records.readAll().get(0);
        records.write(new InstanceRecord(real.instanceId(), real.pid(), "another-boot", real.startTicks(),
                real.launchTime(), real.port(), real.zone(), real.group(), real.templateName(), real.templateVersion(),
                real.terminationGracePeriodMillis(), real.command(), real.logFile()));
        launcher = Instances.launcher(data).build();

        assertThat(launcher.adoptExisting()).isEmpty();
        assertThat(data.resolve("instances").resolve(real.instanceId() + ".json")).as("forgotten").doesNotExist();
        assertThat(ProcFs.isRunning(real.pid(), real.startTicks()))
                .as("after a reboot nothing of the record is alive, so it is not stopped either").isTrue();
    }
}
