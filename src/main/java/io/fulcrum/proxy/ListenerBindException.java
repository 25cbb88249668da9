package io.fulcrum.proxy;

/** A listener could not be opened; the message is one line fit for a user. */
public final class ListenerBindException extends Exception {
    private static final long serialVersionUID = 1L;

    public ListenerBindException(String message, Throwable cause) {
        super(message, cause);
    }
}
