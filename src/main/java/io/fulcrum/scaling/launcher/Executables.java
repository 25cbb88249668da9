package io.fulcrum.scaling.launcher;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds a program as execvp would, so that a missing one is reported before anything is started. */
final class Executables {
    private Executables() {
    }

    /**
     * The file {@code program} names: itself when it has a slash (relative to {@code workingDirectory}
     * if relative), else the first executable of that name on {@code path}.
     */
    static Optional<Path> find(String program, String path, Path workingDirectory) {
        if (program.contains("/")) {
            Path file = Path.of(program);
            if (!file.isAbsolute() && workingDirectory != null) {
                file = workingDirectory.resolve(file);
            }
            return executable(file) ? Optional.of(file) : Optional.empty();
        }
        String searched = path == null ? "/usr/local/bin:/usr/bin:/bin" : path;
        for (String directory : searched.split(File.pathSeparator, -1)) {
            Path file = Path.of(directory.isEmpty() ? "." : directory).resolve(program);
            if (executable(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    private static boolean executable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}
