package io.fulcrum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fulcrum.config.ConfigWriter;
import io.fulcrum.model.FulcrumConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fulcrum diff -f FILE}: what {@code apply -f FILE} would change, without changing it. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Show what `apply -f` would change in a running Fulcrum, without changing anything.",
                "Lines: + added, - removed, ~ changed (with the changed fields).",
                "Exit codes: 0 no differences, 1 differences, 2 invalid file, 5 unauthorized, 6 unreachable."})
final class DiffCommand extends AdminCommand {
    @Option(names = {"-f", "--filename"}, required = true, description = "The YAML config file.")
    Path file;

    @Override
    int run(AdminClient client) throws CliException {
        FulcrumConfig config = ValidateCommand.load(file);
        if (config == null) {
            return ExitCodes.INVALID;
        }
        JsonNode answer = client.post("/v1/state/diff", ConfigWriter.toTree(config));
        JsonNode changes = answer.path("changes");
        if (changes.isEmpty()) {
            System.out.println("No differences from revision " + answer.path("revision").asText() + ".");
            return ExitCodes.OK;
        }
        for (JsonNode change : changes) {
            String mark = switch (change.path("action").asText()) {
                case "add" -> "+";
                case "remove" -> "-";
                default -> "~";
            };
            StringBuilder line = new StringBuilder(mark).append(' ').append(change.path("kind").asText())
                    .append(' ').append(change.path("name").asText());
            List<String> fields = new ArrayList<>();
            change.path("fields").forEach(field -> fields.add(field.asText()));
            if (!fields.isEmpty()) {
                line.append("  (").append(String.join(", ", fields)).append(')');
            }
            System.out.println(line);
        }
        return ExitCodes.DIFFERENCES;
    }
}
