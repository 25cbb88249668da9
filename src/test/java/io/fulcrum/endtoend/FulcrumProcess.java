package io.fulcrum.endtoend;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code fulcrum} (io.fulcrum.cli.Main) in a separate JVM on this test's class path, with its output collected. */
final class FulcrumProcess implements AutoCloseable {
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private FulcrumProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::pump, "fulcrum-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    static FulcrumProcess start(Path workDir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx128m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.fulcrum.cli.Main");
        command.addAll(List.of(args));
        if (args.length > 0 && args[0].equals("run") && !List.of(args).contains("--admin-address")) {
            // tests run side by side: the admin API's default port would collide
            command.addAll(List.of("--admin-address", "127.0.0.1:0"));
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        return new FulcrumProcess(builder.start());
    }

    private void pump() {
        try (InputStream in = process.getInputStream()) {
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) > 0) {
                output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            output.append("[output read failed: ").append(e).append(']');
        }
    }

    /** Everything the process printed so far (stdout and stderr). */
    String output() {
        return output.toString();
    }

    List<String> lines() {
        return output().lines().toList();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends a signal by name (HUP, TERM) with kill(1). */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** Waits for the exit and for its output to be read; the exit status. */
    int waitForExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("still running after " + seconds + " s; output:\n" + output());
        }
        reader.join(TimeUnit.SECONDS.toMillis(5));
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
