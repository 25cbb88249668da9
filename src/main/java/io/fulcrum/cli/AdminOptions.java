package io.fulcrum.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the admin API is and how to authenticate, shared by the commands that talk to it. */
final class AdminOptions {
    static final String TOKEN_VARIABLE = "FULCRUM_ADMIN_TOKEN";

    @Option(names = "--admin-url", defaultValue = "${env:FULCRUM_ADMIN_URL:-http://127.0.0.1:9180}",
            description = "The admin API of a running Fulcrum (env FULCRUM_ADMIN_URL). Default: ${DEFAULT-VALUE}")
    String url;

    @Option(names = "--token-file",
            description = "A file holding the admin token. Default: the env " + TOKEN_VARIABLE
                    + ", else <data-dir>/admin.token")
    Path tokenFile;

    @Option(names = "--data-dir", defaultValue = ".fulcrum",
            description = "The running Fulcrum's data directory, where its admin.token is. Default: ${DEFAULT-VALUE}")
    Path dataDir;
}
