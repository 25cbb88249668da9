package io.fulcrum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fulcrum.config.ConfigWriter;
import io.fulcrum.model.FulcrumConfig;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fulcrum apply -f FILE}: makes a running Fulcrum's desired state what the file says. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Apply a config file to a running Fulcrum (declarative, as `kubectl apply`).",
                "The file is checked here first: an invalid one is rejected whole, with every problem, before"
                        + " anything is sent. Relative paths in it are taken from the file's directory.",
                "Exit codes: 0 applied (or already so), 2 invalid, 4 conflict (--revision stale),"
                        + " 5 unauthorized, 6 admin API unreachable or the change could not be served."})
final class ApplyCommand extends AdminCommand {
    @Option(names = {"-f", "--filename"}, required = true, description = "The YAML config file.")
    Path file;

    @Option(names = "--revision", description = "Apply only if the live state is still at this revision"
            + " (as read by `get revisions`); otherwise exit 4.")
    Long revision;

    @Override
    int run(AdminClient client) throws CliException {
        FulcrumConfig config = ValidateCommand.load(file);
        if (config == null) {
            return ExitCodes.INVALID;
        }
        long before = client.get("/v1/state").path("revision").asLong();
        JsonNode answer = client.put("/v1/state", ConfigWriter.toTree(config), revision);
        long after = answer.path("revision").asLong();
        System.out.println(after == before
                ? file + ": unchanged (revision " + after + ")"
                : file + ": applied as revision " + after);
        return ExitCodes.OK;
    }
}
