package io.fulcrum.scaling.launcher;

import io.fulcrum.scaling.CpuMeter;
import io.fulcrum.scaling.Instance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The CPU time of a local instance's process tree, from /proc/&lt;pid&gt;/stat: utime + stime of the
 * process and each of its descendants, plus cutime + cstime (children it has already reaped, which
 * are no longer in the tree, so nothing is counted twice).
 */
public final class ProcessTreeCpu implements CpuMeter {
    /** USER_HZ, the unit of /proc's times: 100 on every architecture Linux runs Java on. */
    public static final int TICKS_PER_SECOND = 100;
    /** Fields 14-17 of /proc/pid/stat, counted from the state (field 3) after the command name. */
    private static final int UTIME_INDEX = 14 - 3;

    @Override
    public OptionalDouble cpuSeconds(Instance instance) {
        if (instance.pid() <= 0) {
            return OptionalDouble.empty();
        }
        OptionalLong ticks = ticks(instance.pid());
        return ticks.isPresent() ? OptionalDouble.of(ticks.getAsLong() / (double) TICKS_PER_SECOND) : OptionalDouble.empty();
    }

    /** The tree's CPU ticks, or empty when the process is gone. */
    public static OptionalLong ticks(long pid) {
        OptionalLong own = ownTicks(pid);
        if (own.isEmpty()) {
            return own;
        }
        long total = own.getAsLong();
        List<Long> descendants = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(handle -> handle.descendants().forEach(d -> descendants.add(d.pid())));
        for (long child : descendants) {
            total += ownTicks(child).orElse(0);
        }
        return OptionalLong.of(total);
    }

    private static OptionalLong ownTicks(long pid) {
        String text;
        try {
            text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        int close = text.lastIndexOf(')'); // the command name may hold spaces and parentheses
        if (close < 0 || close + 2 > text.length()) {
            return OptionalLong.empty();
        }
        String[] fields = text.substring(close + 2).trim().split(" ");
        if (fields.length <= UTIME_INDEX + 3) {
            return OptionalLong.empty();
        }
        try {
            long sum = 0;
            for (int i = 0; i < 4; i++) {
                sum += Long.parseLong(fields[UTIME_INDEX + i]);
            }
            return OptionalLong.of(sum);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
