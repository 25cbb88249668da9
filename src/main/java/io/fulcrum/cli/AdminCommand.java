package io.fulcrum.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A command that talks to a running Fulcrum's admin API; failures print one message and return their exit code. */
abstract class AdminCommand implements Callable<Integer> {
    @Mixin
    AdminOptions admin;

    @Override
    public final Integer call() {
        try {
            return run(AdminClient.of(admin));
        } catch (CliException e) {
            System.err.println("fulcrum: " + e.getMessage());
            return e.exitCode();
        }
    }

    abstract int run(AdminClient client) throws CliException;
}
