package io.fulcrum.proxy;

/** A listener could not be opened; the message is one line fit for a user. */
public final class ListenerBindException extends Exception {
    private static final long serialVersionUID = 1L;

    public ListenerBindException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A bind of "address:port" that failed: "address already in use", or the system's own words. */
    public static ListenerBindException bindFailed(String addressAndPort, Exception e) {
        String why = e instanceof java.net.BindException || e.getMessage() != null && e.getMessage().contains("in use")
                ? "address already in use" : String.valueOf(e.getMessage());
        return new ListenerBindException("cannot listen on " + addressAndPort + ": " + why, e);
    }
}
