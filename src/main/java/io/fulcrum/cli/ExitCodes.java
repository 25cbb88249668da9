package io.fulcrum.cli;

/** The exit codes of fulcrum's commands, stable so scripts can branch on them. */
final class ExitCodes {
    static final int OK = 0;
    /** {@code diff} only: the file differs from the live state (as {@code diff(1)} and {@code kubectl diff}). */
    static final int DIFFERENCES = 1;
    /** Invalid input: a config with problems, a bad argument (picocli's usage errors are 2 too). */
    static final int INVALID = 2;
    /** The named resource does not exist. */
    static final int NOT_FOUND = 3;
    /** A conflict: a stale revision, a resource in use, a duplicate. */
    static final int CONFLICT = 4;
    /** The admin API refused the token. */
    static final int UNAUTHORIZED = 5;
    /** The admin API could not be reached or failed. */
    static final int UNAVAILABLE = 6;

    private ExitCodes() {
    }

    /** The exit code for an admin API answer's HTTP status. */
    static int forStatus(int status) {
        if (status < 300) {
            return OK;
        }
        return switch (status) {
            case 400, 422 -> INVALID;
            case 401, 403 -> UNAUTHORIZED;
            case 404 -> NOT_FOUND;
            case 409, 412 -> CONFLICT;
            default -> UNAVAILABLE;
        };
    }
}
