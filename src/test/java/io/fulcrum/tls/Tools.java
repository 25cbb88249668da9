package io.fulcrum.tls;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real TLS clients of the machine (openssl, curl) and returns what they printed. */
public final class Tools {
    private Tools() {
    }

    /** A finished run: exit code and stdout and stderr together. */
    public record Run(int exitCode, String output) {
    }

    public static Run run(String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command))
                .redirectErrorStream(true)
                .redirectInput(new File("/dev/null"))
                .start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** openssl s_client to 127.0.0.1:port with extra arguments (e.g. -servername x, -tls1_2). */
    public static Run sClient(int port, String... arguments) throws Exception {
        String[] command = new String[4 + arguments.length];
        command[0] = "openssl";
        command[1] = "s_client";
        command[2] = "-connect";
        command[3] = "127.0.0.1:" + port;
        System.arraycopy(arguments, 0, command, 4, arguments.length);
        return run(command);
    }

    /** The subject line of the certificate the server sent, as s_client prints it. */
    public static String subject(Run run) {
        return run.output().lines().filter(line -> line.startsWith("subject=")).findFirst()
                .orElseThrow(() -> new AssertionError("no certificate in:\n" + run.output()));
    }
}
