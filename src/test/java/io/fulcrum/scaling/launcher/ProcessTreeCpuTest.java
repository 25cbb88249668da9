package io.fulcrum.scaling.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The CPU time of a process tree counts its descendants, read from /proc. */
class ProcessTreeCpuTest {
    @Test
    void aBusyGrandchildCountsInItsAncestorsTree() throws Exception {
        // the shell waits idle; only its child burns CPU
        Process process = new ProcessBuilder("sh", "-c", "sh -c 'while :; do :; done' & wait").start();
        try {
            long pid = process.pid();
            await().atMost(Duration.ofSeconds(30)).until(() -> ProcessTreeCpu.ticks(pid).orElse(0) >= 20);
            Process idle = new ProcessBuilder("sleep", "30").start();
            try {
                long idleTicks = ProcessTreeCpu.ticks(idle.pid()).orElseThrow();
                assertThat(idleTicks).isLessThan(ProcessTreeCpu.ticks(pid).orElseThrow());
            } finally {
                idle.destroyForcibly();
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        assertThat(ProcessTreeCpu.ticks(Long.MAX_VALUE / 2)).isEmpty();
    }
}
