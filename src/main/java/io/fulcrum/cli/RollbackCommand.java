package io.fulcrum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code fulcrum rollback REVISION}: makes an earlier revision's desired state current again, as a new revision. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Make an earlier revision (see `get revisions`) the live desired state again; it is stored"
                + " as a new revision, so a rollback can itself be rolled back.",
                "Exit codes: 0 ok, 3 revision not kept, 2 it no longer validates, 5 unauthorized, 6 unreachable."})
final class RollbackCommand extends AdminCommand {
    @Parameters(index = "0", paramLabel = "REVISION", description = "The revision to go back to.")
    long revision;

    @Override
    int run(AdminClient client) throws CliException {
        JsonNode answer = client.post("/v1/revisions/" + revision + "/rollback", null);
        System.out.println("rolled back to revision " + revision + ", now revision " + answer.path("revision").asText());
        return ExitCodes.OK;
    }
}
