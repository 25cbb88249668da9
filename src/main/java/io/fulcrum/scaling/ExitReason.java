package io.fulcrum.scaling;

/** Why an instance is no longer running. */
public enum ExitReason {
    /** It exited by itself (or was killed by someone else); its exit code is known. */
    EXITED,
    /** An adopted instance was found gone; Fulcrum is not its parent, so its exit code is unknown. */
    VANISHED,
    /** It was terminated and stopped within its grace period after SIGTERM. */
    TERMINATED,
    /** It was terminated and had to be killed (SIGKILL) when its grace period ran out. */
    KILLED
}
