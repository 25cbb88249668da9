package io.fulcrum.cli;

import io.fulcrum.config.ConfigLoader;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fulcrum validate}: checks a config file and prints every problem. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a config file; print every problem with its field path. Exit 0 when valid, 2 when not.")
final class ValidateCommand implements Callable<Integer> {
    static final int INVALID_CONFIG = 2;

    @Option(names = {"-c", "--config"}, required = true, description = "The YAML config file.")
    Path config;

    @Override
    public Integer call() {
        FulcrumConfig loaded = load(config);
        if (loaded == null) {
            return INVALID_CONFIG;
        }
        System.out.println(config + ": valid (" + loaded.loadBalancers().size() + " load balancer(s), "
                + loaded.targetGroups().size() + " target group(s))");
        return 0;
    }

    /** Loads a config, printing the problems to stderr and returning null when it is not valid. */
    static FulcrumConfig load(Path file) {
        try {
            return ConfigLoader.load(file);
        } catch (InvalidConfigException e) {
            System.err.println(file + ": " + e.getMessage());
        } catch (IOException e) {
            System.err.println(file + ": cannot read: " + e.getMessage());
        }
        return null;
    }
}
