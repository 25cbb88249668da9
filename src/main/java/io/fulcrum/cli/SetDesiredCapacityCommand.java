package io.fulcrum.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fulcrum set-desired-capacity ASG N}: as AWS's SetDesiredCapacity. */
@Command(name = "set-desired-capacity", mixinStandardHelpOptions = true,
        description = {"Set an auto scaling group's desired capacity (between its min and max): instances are"
                + " launched or terminated to match. The value is stored: a later file apply keeps it unless the"
                + " file's own desiredCapacity changes.",
                "Exit codes: 0 ok, 2 outside min..max, 3 no such group, 5 unauthorized, 6 unreachable."})
final class SetDesiredCapacityCommand extends AdminCommand {
    @Parameters(index = "0", paramLabel = "GROUP", description = "The auto scaling group's name.")
    String group;

    @Parameters(index = "1", paramLabel = "N", description = "The new desired capacity.")
    int desiredCapacity;

    @Option(names = "--honor-cooldown", description = "Refuse while the group's cooldown runs (AWS's HonorCooldown).")
    boolean honorCooldown;

    @Override
    int run(AdminClient client) throws CliException {
        client.post("/v1/auto-scaling-groups/" + Paths.segment(group) + "/desired-capacity",
                JsonNodeFactory.instance.objectNode().put("desiredCapacity", desiredCapacity)
                        .put("honorCooldown", honorCooldown));
        System.out.println(group + ": desired capacity " + desiredCapacity);
        return ExitCodes.OK;
    }
}
