package io.fulcrum.scaling.launcher;

import io.fulcrum.scaling.ExitInfo;
import io.fulcrum.scaling.Instance;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A local process instance; what it is never changes once published, only whether it still runs. */
final class LocalInstance implements Instance {
    private final InstanceRecord record;
    private final Instant launchTime;
    private final List<Integer> portConflicts;
    private final Path logFile;
    private final Duration grace;
    /** The process when Fulcrum launched it; null when adopted (Java cannot wait on a non-child). */
    final Process process;
    final CompletableFuture<ExitInfo> exit = new CompletableFuture<>();
    /** Set on the launcher thread when a termination starts. */
    CompletableFuture<ExitInfo> termination;

    LocalInstance(InstanceRecord record, Process process, List<Integer> portConflicts) {
        this.record = record;
        this.process = process;
        this.launchTime = Instant.parse(record.launchTime());
        this.portConflicts = List.copyOf(portConflicts);
        this.logFile = Path.of(record.logFile());
        this.grace = Duration.ofMillis(record.terminationGracePeriodMillis());
    }

    InstanceRecord record() {
        return record;
    }

    long startTicks() {
        return record.startTicks();
    }

    Duration grace() {
        return grace;
    }

    @Override
    public String id() {
        return record.instanceId();
    }

    @Override
    public long pid() {
        return record.pid();
    }

    @Override
    public int port() {
        return record.port();
    }

    @Override
    public String zone() {
        return record.zone();
    }

    @Override
    public String group() {
        return record.group();
    }

    @Override
    public Instant launchTime() {
        return launchTime;
    }

    @Override
    public String templateName() {
        return record.templateName();
    }

    @Override
    public int templateVersion() {
        return record.templateVersion();
    }

    @Override
    public boolean adopted() {
        return process == null;
    }

    @Override
    public List<Integer> portConflicts() {
        return portConflicts;
    }

    @Override
    public Optional<Path> logFile() {
        return Optional.of(logFile);
    }

    @Override
    public boolean isAlive() {
        if (exit.isDone()) {
            return false;
        }
        return process != null ? process.isAlive() : ProcFs.isRunning(pid(), startTicks());
    }

    @Override
    public CompletableFuture<ExitInfo> onExit() {
        return exit.copy();
    }

    @Override
    public String toString() {
        return id() + " (pid " + pid() + ", port " + port() + ", zone " + zone() + ", group " + group() + ", "
                + templateName() + " v" + templateVersion() + (adopted() ? ", adopted" : "") + ")";
    }
}
