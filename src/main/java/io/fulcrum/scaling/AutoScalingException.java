package io.fulcrum.scaling;

import java.util.Objects;

/** A group operation refused, with AWS's error code (e.g. {@code ValidationError}) for an API to pass on. */
public final class AutoScalingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final AutoScalingErrorCode code;

    public AutoScalingException(AutoScalingErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** A {@link AutoScalingErrorCode#ValidationError}. */
    static AutoScalingException validation(String message) {
        return new AutoScalingException(AutoScalingErrorCode.ValidationError, message);
    }

    public AutoScalingErrorCode code() {
        return code;
    }
}
