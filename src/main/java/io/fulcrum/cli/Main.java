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

    public static void main(String[] args) {
        // run and demo-backend return only when they have stopped
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
