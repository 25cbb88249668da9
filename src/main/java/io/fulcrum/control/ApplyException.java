package io.fulcrum.control;

/** The data plane could not serve a desired state (e.g. a listener's port is taken); nothing changed. */
public final class ApplyException extends Exception {
    public ApplyException(String message, Throwable cause) {
        super(message, cause);
    }
}
