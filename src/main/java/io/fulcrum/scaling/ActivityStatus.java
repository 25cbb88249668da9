package io.fulcrum.scaling;

/** The status of a scaling activity, with AWS's status codes. */
public enum ActivityStatus {
    IN_PROGRESS("InProgress"),
    SUCCESSFUL("Successful"),
    FAILED("Failed");

    private final String awsName;

    ActivityStatus(String awsName) {
        this.awsName = awsName;
    }

    /** AWS's status code: {@code InProgress}, {@code Successful} or {@code Failed}. */
    public String awsName() {
        return awsName;
    }

    @Override
    public String toString() {
        return awsName;
    }
}
