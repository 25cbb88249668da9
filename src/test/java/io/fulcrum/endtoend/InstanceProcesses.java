package io.fulcrum.endtoend;

import com.fasterxml.jackson.databind.JsonNode;
import io.fulcrum.model.LaunchTemplate;
import io.fulcrum.scaling.launcher.Instances;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The instance processes a {@code fulcrum run} in another JVM launched, as its data directory records
 * them ({@code <data-dir>/instances/<id>.json}), read from /proc; and the cleanup that kills those, and
 * only those, when a test ends.
 */
final class InstanceProcesses {
    private InstanceProcesses() {
    }

    /** The recorded instances: instance id to pid. */
    static Map<String, Long> recorded(Path dataDir) throws IOException {
        Map<String, Long> pids = new TreeMap<>();
        Path instances = dataDir.resolve("instances");
        if (!Files.isDirectory(instances)) {
            return pids;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(instances, "i-*.json")) {
            for (Path file : files) {
                JsonNode record = AdminApi.JSON.readTree(file.toFile());
                pids.put(record.path("instanceId").asText(), record.path("pid").asLong());
            }
        }
        return pids;
    }

    /** True while {@code pid} is a running process (not gone, not a zombie waiting for its parent). */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat", e);
        }
    }

    /** The session id of {@code pid} (field 6 of /proc/pid/stat). */
    static long session(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[3]); // state, ppid, pgrp, session
    }

    /** True when {@code pid} runs with the marker Fulcrum gives instance {@code instanceId} (not a reused pid). */
    static boolean isInstance(long pid, String instanceId) {
        try {
            String environment = Files.readString(Path.of("/proc", Long.toString(pid), "environ"),
                    StandardCharsets.ISO_8859_1);
            String marker = LaunchTemplate.MARKER_VARIABLE + "=" + instanceId;
            for (String variable : environment.split("\0")) {
                if (variable.equals(marker)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false; // gone
        }
    }

    /**
     * Kills what a test may have left: each recorded pid that still carries its instance's marker, and
     * any process carrying the marker of an instance with a file in the data directory (one launched
     * just before a kill, whose record was not written yet).
     */
    static void killLeftovers(Path dataDir) throws IOException {
        for (Map.Entry<String, Long> instance : recorded(dataDir).entrySet()) {
            if (running(instance.getValue()) && isInstance(instance.getValue(), instance.getKey())) {
                ProcessHandle.of(instance.getValue()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        Instances.killAll(dataDir);
    }
}
