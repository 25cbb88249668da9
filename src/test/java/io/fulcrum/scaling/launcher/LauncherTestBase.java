package io.fulcrum.scaling.launcher;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A launcher on a fresh data directory per test, closed afterwards with every process it left killed. */
abstract class LauncherTestBase {
    @TempDir
    Path data;
    LocalProcessLauncher launcher;

    @BeforeEach
    void startLauncher() {
        launcher = Instances.launcher(data).build();
    }

    @AfterEach
    void stopLauncher() throws Exception {
        launcher.close();
        Instances.killAll(data);
    }
}
