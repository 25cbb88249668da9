package io.fulcrum.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code fulcrum} command. */
@Command(name = "fulcrum", mixinStandardHelpOptions = true, version = "fulcrum 0.1.0",
        description = "A self-hosted Elastic Load Balancer with Auto Scaling.",
        subcommands = {RunCommand.class, ValidateCommand.class, ApplyCommand.class, DiffCommand.class,
                GetCommand.class, DescribeTargetHealthCommand.class, SetDesiredCapacityCommand.class,
                ActivitiesCommand.class, RollbackCommand.class, DemoBackendCommand.class, CompletionCommand.class,
                CertCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** The commands that run until stopped and log what they do; the others log only problems. */
    private static final java.util.Set<String> SERVING = java.util.Set.of("run", "demo-backend");

    public static void main(String[] args) {
        if (args.length > 0 && !SERVING.contains(args[0])) {
            System.setProperty(LogConfigurator.QUIET_PROPERTY, "true"); // before the first logger is made
        }
        // run and demo-backend return only when they have stopped
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
