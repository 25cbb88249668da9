package io.fulcrum.scaling;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A running instance: what it is, where it listens, and a way to hear of its end at once. */
public interface Instance {
    /** Its id, {@code i-} and 17 lowercase hex digits, like an EC2 instance id. */
    String id();

    /** The process id of its main process (for the local launcher), or -1 where there is none. */
    long pid();

    /** The port allocated to it, which its template's {@code ${PORT}} was set to. */
    int port();

    String zone();

    String group();

    Instant launchTime();

    String templateName();

    int templateVersion();

    /** True when this run of Fulcrum adopted it from an earlier run rather than launching it. */
    boolean adopted();

    /**
     * Ports it was first launched on and that turned out to be taken (the instance exited at once);
     * it was relaunched on {@link #port()}. Empty almost always.
     */
    List<Integer> portConflicts();

    /** The file its standard output and error go to, where the launcher keeps one. */
    Optional<Path> logFile();

    boolean isAlive();

    /**
     * Completes when the instance has ended, whatever the cause: at once for a process Fulcrum
     * launched (process exit, not a poll), within a poll interval for an adopted one.
     */
    CompletableFuture<ExitInfo> onExit();
}
