package io.fulcrum.scaling.launcher;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/** Builds a {@link LocalProcessLauncher}; every setter checks its argument at once. */
public final class LocalProcessLauncherBuilder {
    Path dataDirectory;
    int firstPort = LocalProcessLauncher.DEFAULT_FIRST_PORT;
    int lastPort = LocalProcessLauncher.DEFAULT_LAST_PORT;
    boolean keepInstancesOnExit;
    Duration quickExitWindow = LocalProcessLauncher.DEFAULT_QUICK_EXIT_WINDOW;
    Duration adoptedPollInterval = LocalProcessLauncher.DEFAULT_ADOPTED_POLL_INTERVAL;
    Clock clock = Clock.systemUTC();
    Random random = new SecureRandom();
    Path setsid;

    LocalProcessLauncherBuilder() {
    }

    /** Required: instances' records and logs go to {@code <dataDirectory>/instances/}. */
    public LocalProcessLauncherBuilder dataDirectory(Path dataDirectory) {
        this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
        return this;
    }

    /** The ports given to instances, {@code first} to {@code last} inclusive; default 20000-29999. */
    public LocalProcessLauncherBuilder portRange(int first, int last) {
        if (first < 1 || last > 65_535 || first > last) {
            throw new IllegalArgumentException("portRange: " + first + "-" + last
                    + " (expected: 1 <= first <= last <= 65535)");
        }
        this.firstPort = first;
        this.lastPort = last;
        return this;
    }

    /** When true, {@link LocalProcessLauncher#close()} leaves instances running for a later adoption; default false. */
    public LocalProcessLauncherBuilder keepInstancesOnExit(boolean keepInstancesOnExit) {
        this.keepInstancesOnExit = keepInstancesOnExit;
        return this;
    }

    /** See {@link LocalProcessLauncher#DEFAULT_QUICK_EXIT_WINDOW}. */
    public LocalProcessLauncherBuilder quickExitWindow(Duration quickExitWindow) {
        Objects.requireNonNull(quickExitWindow, "quickExitWindow");
        if (quickExitWindow.isNegative() || quickExitWindow.isZero()) {
            throw new IllegalArgumentException("quickExitWindow: " + quickExitWindow + " (expected: more than 0)");
        }
        this.quickExitWindow = quickExitWindow;
        return this;
    }

    /** See {@link LocalProcessLauncher#DEFAULT_ADOPTED_POLL_INTERVAL}. */
    public LocalProcessLauncherBuilder adoptedPollInterval(Duration adoptedPollInterval) {
        Objects.requireNonNull(adoptedPollInterval, "adoptedPollInterval");
        if (adoptedPollInterval.toMillis() < 10) {
            throw new IllegalArgumentException("adoptedPollInterval: " + adoptedPollInterval + " (expected: 10ms or more)");
        }
        this.adoptedPollInterval = adoptedPollInterval;
        return this;
    }

    /** The clock of launch and exit times; default UTC system clock. */
    public LocalProcessLauncherBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** The source of instance ids; default a SecureRandom. */
    public LocalProcessLauncherBuilder random(Random random) {
        this.random = Objects.requireNonNull(random, "random");
        return this;
    }

    /** The util-linux {@code setsid} program; default the one on Fulcrum's PATH. */
    public LocalProcessLauncherBuilder setsid(Path setsid) {
        this.setsid = Objects.requireNonNull(setsid, "setsid");
        return this;
    }

    public LocalProcessLauncher build() {
        if (dataDirectory == null) {
            throw new IllegalArgumentException("dataDirectory: missing (expected: a directory for instance records and logs)");
        }
        if (setsid == null) {
            setsid = Executables.find("setsid", System.getenv("PATH"), null).orElseThrow(() ->
                    new IllegalStateException("setsid: not found on PATH (expected: util-linux's setsid, which"
                            + " starts each instance in its own session)"));
        } else if (Executables.find(setsid.toString(), null, null).isEmpty()) {
            throw new IllegalArgumentException("setsid: " + setsid + " (expected: an executable file)");
        }
        return new LocalProcessLauncher(this);
    }
}
