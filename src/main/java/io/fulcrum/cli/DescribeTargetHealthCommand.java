package io.fulcrum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fulcrum describe-target-health TG}: each target's state, reason and description, as AWS's DescribeTargetHealth. */
@Command(name = "describe-target-health", mixinStandardHelpOptions = true,
        description = {"Show the health of each target of a target group (registered by config, API or an auto"
                + " scaling group): state, reason code and description as ELB words them.",
                "Exit codes: 0 ok, 3 no such target group, 5 unauthorized, 6 unreachable."})
final class DescribeTargetHealthCommand extends AdminCommand {
    @Parameters(index = "0", paramLabel = "TARGET_GROUP", description = "The target group's name.")
    String targetGroup;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, yaml or json. Default: ${DEFAULT-VALUE}")
    OutputFormat output;

    @Override
    int run(AdminClient client) throws CliException {
        JsonNode answer = client.get("/v1/target-groups/" + Paths.segment(targetGroup) + "/health");
        if (output != OutputFormat.table) {
            System.out.print(output.write(answer));
            return ExitCodes.OK;
        }
        Table table = new Table("TARGET", "PORT", "STATE", "REASON", "DESCRIPTION");
        for (JsonNode description : answer.path("targetHealthDescriptions")) {
            JsonNode health = description.path("targetHealth");
            table.row(description.path("target").path("id").asText(), description.path("target").path("port").asText(),
                    health.path("state").asText(), health.path("reason").asText(), health.path("description").asText());
        }
        System.out.print(table.isEmpty() ? "No targets registered in " + targetGroup + "." + System.lineSeparator() : table);
        return ExitCodes.OK;
    }
}
