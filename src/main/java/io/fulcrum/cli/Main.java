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

    /** Netty's leak detector; see {@link #main}. */
    static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";

    public static void main(String[] args) {
        if (args.length > 0 && !SERVING.contains(args[0])) {
            System.setProperty(LogConfigurator.QUIET_PROPERTY, "true"); // before the first logger is made
        }
        // Netty samples one buffer in 128 with a stack trace to find leaks: ~3% of the request path's CPU.
        // Tests start the balancer in-process and keep Netty's default; a served one has it off unless asked.
        if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
            System.setProperty(LEAK_DETECTION_PROPERTY, "disabled");
        }
        // run and demo-backend return only when they have stopped
        System.exit(commandLine(args).execute(args));
    }

    /**
     * The command tree for {@code args}. {@code run} gets a root with only itself: picocli reflects over
     * every subcommand it is given, which costs a balancer's start-up about a tenth of a second for
     * commands it never uses. Anything else gets the whole tree (help lists all commands).
     */
    static CommandLine commandLine(String[] args) {
        if (args.length > 0 && args[0].equals("run")) {
            CommandLine root = new CommandLine(CommandLine.Model.CommandSpec.wrapWithoutInspection(new Main())
                    .name("fulcrum"));
            return root.addSubcommand("run", new RunCommand());
        }
        return new CommandLine(new Main());
    }
}
