package io.fulcrum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fulcrum activities ASG}: the group's scaling activities, newest first, as AWS's DescribeScalingActivities. */
@Command(name = "activities", mixinStandardHelpOptions = true,
        description = {"Show an auto scaling group's scaling activities (launches, terminations), newest first,"
                + " with AWS's wording; -o yaml|json adds the cause.",
                "Exit codes: 0 ok, 3 no such group, 5 unauthorized, 6 unreachable."})
final class ActivitiesCommand extends AdminCommand {
    @Parameters(index = "0", paramLabel = "GROUP", description = "The auto scaling group's name.")
    String group;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, yaml or json. Default: ${DEFAULT-VALUE}")
    OutputFormat output;

    @Option(names = "--max", defaultValue = "20", description = "At most this many (table only). Default: ${DEFAULT-VALUE}")
    int max;

    @Override
    int run(AdminClient client) throws CliException {
        JsonNode answer = client.get("/v1/auto-scaling-groups/" + Paths.segment(group) + "/activities");
        JsonNode activities = answer.isArray() ? answer : answer.path("activities");
        if (output != OutputFormat.table) {
            System.out.print(output.write(activities));
            return ExitCodes.OK;
        }
        Table table = new Table("START", "STATUS", "DESCRIPTION");
        int shown = 0;
        for (JsonNode activity : activities) {
            if (shown++ == max) {
                break;
            }
            table.row(activity.path("startTime").asText(), activity.path("statusCode").asText(),
                    activity.path("description").asText());
        }
        System.out.print(table.isEmpty() ? "No activities." + System.lineSeparator() : table);
        return ExitCodes.OK;
    }
}
