package io.fulcrum.store;

import io.fulcrum.control.ControlPlane;
import io.fulcrum.config.ConfigLoader;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.InvalidConfigException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The process {@link FileStoreCrashTest} kills: writes revisions through a control plane over a file
 * store as fast as it can and prints {@code ack REVISION PORT} once each write has returned.
 */
public final class StoreCrashWriter {
    private StoreCrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        FileStore store = FileStore.open(Path.of(args[0]), Clock.systemUTC(), Integer.parseInt(args[1]));
        ControlPlane plane = new ControlPlane(store, (config, revision) -> { });
        out.println("ready " + plane.current().revision());
        out.flush();
        while (true) {
            long next = plane.current().revision() + 1;
            int port = port(next);
            long written = plane.update(Store.ANY_REVISION, "crash writer " + next, current -> config(port)).revision();
            out.println("ack " + written + " " + port);
            out.flush();
        }
    }

    /** The target port that revision {@code revision}'s document names. */
    static int port(long revision) {
        return 1024 + (int) (revision % 60_000);
    }

    static FulcrumConfig config(int port) {
        try {
            return ConfigLoader.parse("targetGroups:\n  - name: web\n    targets: [\"127.0.0.1:" + port + "\"]\n");
        } catch (InvalidConfigException e) {
            throw new IllegalStateException(e);
        }
    }
}
