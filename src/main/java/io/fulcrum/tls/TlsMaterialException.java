package io.fulcrum.tls;

/** A certificate or key file that cannot be served: missing, unreadable, not PEM, mismatched or expired. */
public final class TlsMaterialException extends Exception {
    private final String file;

    public TlsMaterialException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** The file at fault, as the config names it (resolved). */
    public String file() {
        return file;
    }

    /** The problem without the file name. */
    public String problem() {
        return getMessage().substring(file.length() + 2);
    }
}
