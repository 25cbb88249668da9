package io.fulcrum.scaling;

import java.time.Instant;
import java.util.OptionalInt;

/**
 * How an instance ended.
 *
 * @param pid the process id of the instance's main process
 * @param exitCode the exit status of the main process when Fulcrum is its parent (128 + the signal
 *     number when a signal ended it, as a shell says), empty for an adopted instance
 * @param at when Fulcrum noticed the exit
 */
public record ExitInfo(String instanceId, long pid, OptionalInt exitCode, ExitReason reason, Instant at) {
    /** True when Fulcrum asked it to stop (as opposed to a death Fulcrum did not cause). */
    public boolean requested() {
        return reason == ExitReason.TERMINATED || reason == ExitReason.KILLED;
    }
}
