package io.fulcrum.cli;

import io.fulcrum.balancing.StickyCookie;
import io.fulcrum.config.ConfigLoader;
import io.fulcrum.config.Durations;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.InvalidConfigException;
import io.fulcrum.model.Listener;
import io.fulcrum.model.LoadBalancer;
import io.fulcrum.proxy.ListenerBindException;
import io.fulcrum.proxy.Transport;
import io.fulcrum.scaling.AutoScaling;
import io.fulcrum.scaling.AutoScalingSettings;
import io.fulcrum.scaling.launcher.LocalProcessLauncher;
import io.fulcrum.server.FulcrumServer;
import io.fulcrum.server.ServerTargetRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code fulcrum run}: serves a config until SIGTERM/SIGINT; SIGHUP re-reads the file. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the load balancers of a config file. SIGHUP reloads the file; SIGTERM or Ctrl-C stops.")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = {"-c", "--config"}, required = true, description = "The YAML config file.")
    Path config;

    @Option(names = "--event-loops", defaultValue = "0",
            description = "I/O event loop threads (default: 0, one per core).")
    int eventLoops;

    @Option(names = "--data-dir", defaultValue = ".fulcrum",
            description = "Where Fulcrum keeps its state (the stickiness key, auto scaling instances' records and"
                    + " logs under instances/). Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--shutdown-grace", defaultValue = "10s",
            description = "How long requests in flight may finish at shutdown. Default: ${DEFAULT-VALUE}")
    String shutdownGrace;

    @Option(names = "--training-run", hidden = true,
            description = "Start, send one request to each listener, stop: a class-loading run for a CDS archive.")
    boolean trainingRun;

    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Reloads run one at a time, off the signal thread. */
    private final java.util.concurrent.ExecutorService reloads = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "fulcrum-reload");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        FulcrumConfig initial = ValidateCommand.load(config);
        if (initial == null) {
            return ValidateCommand.INVALID_CONFIG;
        }
        Duration grace = Durations.parse(shutdownGrace);
        if (grace == null) {
            System.err.println("--shutdown-grace: \"" + shutdownGrace + "\" (expected: " + Durations.EXPECTED + ")");
            return ValidateCommand.INVALID_CONFIG;
        }
        checkFileDescriptors(initial);
        byte[] secret = stickinessSecret();
        Transport transport = Transport.best();
        FulcrumServer server = new FulcrumServer(transport, eventLoops, secret, Clock.systemUTC());
        try {
            server.apply(initial);
        } catch (ListenerBindException e) {
            System.err.println("fulcrum: " + e.getMessage());
            server.stop(Duration.ZERO);
            return 1;
        }
        AutoScaling autoScaling;
        LocalProcessLauncher launcher;
        try {
            launcher = LocalProcessLauncher.builder().dataDirectory(dataDir).build();
            autoScaling = new AutoScaling(launcher, new ServerTargetRegistry(server), Clock.systemUTC(),
                    new SecureRandom(), AutoScalingSettings.DEFAULTS);
            // instances a killed earlier run left are taken over, not launched twice
            autoScaling.adopt(launcher.adoptExisting());
            autoScaling.apply(initial);
            server.metrics().watchAutoScaling(autoScaling::groups);
        } catch (RuntimeException e) {
            System.err.println("fulcrum: cannot start auto scaling: " + e.getMessage());
            server.stop(Duration.ZERO);
            return 1;
        }
        LOG.info("Fulcrum started in {} ms with {} ({} transport)", (System.nanoTime() - started) / 1_000_000,
                config, transport.name());
        if (trainingRun) {
            train(server);
            autoScaling.close();
            server.stop(Duration.ZERO);
            launcher.close();
            return 0;
        }
        Signal.handle(new Signal("HUP"), signal -> reload(server, autoScaling));
        Signal.handle(new Signal("TERM"), signal -> stopped.countDown());
        Signal.handle(new Signal("INT"), signal -> stopped.countDown());
        stopped.await();
        if (!autoScaling.groups().isEmpty()) {
            LOG.info("Stopping auto scaling groups: their instances are deregistered, drained, then terminated");
        }
        autoScaling.close();
        LOG.info("Stopping: listeners closed, requests in flight get up to {}", grace);
        server.stop(grace);
        launcher.close(); // stops any instance not in a group (none is expected)
        LOG.info("Stopped");
        return 0;
    }

    /** One GET per listener over loopback, so the request path's classes are loaded (for the launcher's CDS archive). */
    private static void train(FulcrumServer server) {
        for (var listener : server.listeners().values()) {
            try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(),
                    listener.boundPort())) {
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: training\r\nConnection: close\r\n\r\n"
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getInputStream().readAllBytes();
            } catch (IOException e) {
                LOG.debug("Training request failed: {}", e.toString());
            }
        }
    }

    /** SIGHUP: the file is read and validated whole; an invalid one changes nothing. */
    private void reload(FulcrumServer server, AutoScaling autoScaling) {
        reloads.execute(() -> {
            try {
                FulcrumConfig next = ConfigLoader.load(config);
                server.apply(next);
                autoScaling.apply(next);
                LOG.info("Reloaded {}", config);
            } catch (InvalidConfigException e) {
                LOG.error("Reload of {} rejected, the running config stays: {}", config, e.getMessage());
            } catch (IOException e) {
                LOG.error("Reload of {} failed, the running config stays: cannot read: {}", config, e.getMessage());
            } catch (ListenerBindException e) {
                LOG.error("Reload of {} failed, the running config stays: {}", config, e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("Reload of {} failed, the running config stays", config, e);
            }
        });
    }

    private byte[] stickinessSecret() throws IOException {
        Files.createDirectories(dataDir);
        Path key = dataDir.resolve("stickiness.key");
        if (Files.exists(key)) {
            byte[] secret = Files.readAllBytes(key);
            if (secret.length >= StickyCookie.MIN_SECRET_BYTES) {
                return secret;
            }
        }
        byte[] secret = StickyCookie.newSecret();
        Path tmp = dataDir.resolve("stickiness.key.tmp");
        Files.write(tmp, secret);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.move(tmp, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return secret;
    }

    /** Warns when the open-file limit cannot hold the configured client connections plus their targets'. */
    private static void checkFileDescriptors(FulcrumConfig config) {
        long limit = openFileLimit();
        if (limit < 0) {
            return;
        }
        long wanted = 64;
        for (LoadBalancer lb : config.loadBalancers()) {
            for (Listener listener : lb.listeners()) {
                wanted += 2L * listener.maxConnections();
            }
        }
        if (limit < wanted) {
            LOG.warn("The open-file limit is {}, but the listeners' maxConnections need about {} (a client and "
                    + "a target connection each): raise it with 'ulimit -n {}' or lower maxConnections",
                    limit, wanted, wanted);
        }
    }

    /**
     * The soft open-file limit from /proc/self/limits, or -1 when unknown. Read from /proc rather than
     * through JMX, whose start-up cost shows in the time to the first served request.
     */
    private static long openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                    return fields[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(fields[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot read the open-file limit: {}", e.toString());
        }
        return -1;
    }
}
