package io.fulcrum.scaling;

/** The status of an instance refresh, by AWS's names. */
public enum InstanceRefreshStatus {
    Pending, InProgress, Successful, Failed, Cancelling, Cancelled, RollbackInProgress, RollbackSuccessful, RollbackFailed;

    /** True while it may still replace instances. */
    public boolean active() {
        return this == Pending || this == InProgress || this == Cancelling || this == RollbackInProgress;
    }
}
