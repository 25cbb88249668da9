package io.fulcrum.scaling.launcher;

import io.fulcrum.model.LaunchTemplate;
import io.fulcrum.scaling.LaunchRequest;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Test helpers: templates for real processes and a cleanup that leaves no process behind. */
public final class Instances {
    private Instances() {
    }

    /** The demo backend in a small quick-starting JVM, from the test's own class path. */
    public static LaunchTemplate demoBackend(String... extraArgs) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k",
                "-cp", System.getProperty("java.class.path"),
                "io.fulcrum.cli.Main", "demo-backend", "--port", "${PORT}", "--id", "${INSTANCE_ID}"));
        command.addAll(List.of(extraArgs));
        return new LaunchTemplate("demo", 3, command, Map.of(), null, Duration.ofSeconds(10));
    }

    /** {@code sh -c script} with the given grace period. */
    public static LaunchTemplate shell(String script, Duration grace) {
        return new LaunchTemplate("shell", 1, List.of("sh", "-c", script), Map.of(), null, grace);
    }

    public static LaunchRequest request(LaunchTemplate template) {
        return new LaunchRequest(template, "web-asg", "zone-a");
    }

    public static LocalProcessLauncherBuilder launcher(Path dataDirectory) {
        return LocalProcessLauncher.builder()
                .dataDirectory(dataDirectory)
                .random(new Random(42))
                .quickExitWindow(Duration.ofMillis(300))
                .adoptedPollInterval(Duration.ofMillis(50));
    }

    /** True when no running (non-zombie) process has this pid any more. */
    public static boolean gone(long pid) {
        return ProcFs.stat(pid).filter(ProcFs.Stat::running).isEmpty();
    }

    /** Kills every process that carries the marker of an instance that has a log or record file in {@code dataDirectory}. */
    public static void killAll(Path dataDirectory) throws IOException {
        Path instances = dataDirectory.resolve("instances");
        if (!Files.isDirectory(instances)) {
            return;
        }
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(instances, "i-*")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                ids.add(name.substring(0, name.indexOf('.')));
            }
        }
        for (long pid : ProcFs.pids()) {
            for (String id : ids) {
                if (pid != ProcessHandle.current().pid()
                        && ProcFs.hasVariable(pid, LaunchTemplate.MARKER_VARIABLE, id)) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }
}
