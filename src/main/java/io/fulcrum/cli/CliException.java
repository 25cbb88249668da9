package io.fulcrum.cli;

/** A CLI command's failure: the message for stderr and the exit code for scripts. */
final class CliException extends Exception {
    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
