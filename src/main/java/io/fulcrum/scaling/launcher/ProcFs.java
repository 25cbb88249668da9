package io.fulcrum.scaling.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Reads what Java's ProcessHandle does not tell: process groups, sessions, start ticks, environment, sockets. */
final class ProcFs {
    private static final Path PROC = Path.of("/proc");
    /** st column of /proc/net/tcp for a listening socket. */
    private static final String TCP_LISTEN = "0A";
    /** Field 22 of /proc/pid/stat, counted from the state (field 3) after the command name. */
    private static final int START_TICKS_INDEX = 22 - 3;

    /**
     * One line of /proc/pid/stat.
     *
     * @param startTicks when the process started, in clock ticks since boot: with the boot id, it
     *     tells this process from a later one that reuses its pid
     */
    record Stat(long pid, char state, long ppid, long pgrp, long session, long startTicks) {
        /** A zombie has exited and only waits to be reaped. */
        boolean running() {
            return state != 'Z' && state != 'X';
        }
    }

    private ProcFs() {
    }

    static Optional<Stat> stat(long pid) {
        String text;
        try {
            text = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        // the command name is in parentheses and may itself contain spaces and ')'
        int close = text.lastIndexOf(')');
        if (close < 0) {
            return Optional.empty();
        }
        String[] fields = text.substring(close + 2).trim().split(" ");
        if (fields.length <= START_TICKS_INDEX) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Stat(pid, fields[0].charAt(0), Long.parseLong(fields[1]), Long.parseLong(fields[2]),
                    Long.parseLong(fields[3]), Long.parseLong(fields[START_TICKS_INDEX])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** True when {@code pid} is a running (not zombie) process that started at {@code startTicks}. */
    static boolean isRunning(long pid, long startTicks) {
        return stat(pid).filter(s -> s.running() && s.startTicks() == startTicks).isPresent();
    }

    /** This boot's random id: start ticks from another boot mean nothing. */
    static String bootId() {
        try {
            return Files.readString(PROC.resolve("sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** True when the environment {@code pid} started with holds exactly {@code name=value}. */
    static boolean hasVariable(long pid, String name, String value) {
        byte[] environ;
        try {
            environ = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
        } catch (IOException | SecurityException e) {
            return false; // gone, or another user's: not ours either way
        }
        byte[] wanted = (name + "=" + value).getBytes(StandardCharsets.UTF_8);
        int start = 0;
        for (int i = 0; i <= environ.length; i++) {
            if (i == environ.length || environ[i] == 0) {
                if (i - start == wanted.length && java.util.Arrays.equals(environ, start, i, wanted, 0, wanted.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    /** The pids of every process this user may see. */
    static List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(PROC)) {
            for (Path entry : dir) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
                    try {
                        pids.add(Long.parseLong(name));
                    } catch (NumberFormatException ignored) {
                        // not a process directory
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list /proc", e);
        }
        return pids;
    }

    /** True when one of {@code pids} holds a TCP socket listening on {@code port} (any address, IPv4 or IPv6). */
    static boolean listensOn(Collection<Long> pids, int port) {
        Set<String> inodes = new HashSet<>();
        listeningInodes(PROC.resolve("net/tcp"), port, inodes);
        listeningInodes(PROC.resolve("net/tcp6"), port, inodes);
        if (inodes.isEmpty()) {
            return false;
        }
        for (long pid : pids) {
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(Long.toString(pid)).resolve("fd"))) {
                for (Path fd : fds) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(fd).toString();
                    } catch (IOException e) {
                        continue; // closed meanwhile
                    }
                    if (target.startsWith("socket:[")
                            && inodes.contains(target.substring("socket:[".length(), target.length() - 1))) {
                        return true;
                    }
                }
            } catch (IOException | SecurityException e) {
                // gone meanwhile
            }
        }
        return false;
    }

    private static void listeningInodes(Path table, int port, Set<String> into) {
        List<String> lines;
        try {
            lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return; // no IPv6, for instance
        }
        String portHex = String.format(Locale.ROOT, ":%04X", port);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
            if (f.length > 9 && f[1].endsWith(portHex) && f[3].equals(TCP_LISTEN)) {
                into.add(f[9]);
            }
        }
    }
}
