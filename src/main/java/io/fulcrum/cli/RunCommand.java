package io.fulcrum.cli;

import io.fulcrum.admin.AdminServer;
import io.fulcrum.admin.AdminToken;
import io.fulcrum.balancing.StickyCookie;
import io.fulcrum.config.ConfigLoader;
import io.fulcrum.control.ApplyException;
import io.fulcrum.control.ControlPlane;
import io.fulcrum.control.DesiredState;
import io.fulcrum.control.StateApplier;
import io.fulcrum.config.Durations;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.InvalidConfigException;
import io.fulcrum.model.Listener;
import io.fulcrum.model.LoadBalancer;
import io.fulcrum.proxy.ListenerBindException;
import io.fulcrum.proxy.Transport;
import io.fulcrum.scaling.AutoScaling;
import io.fulcrum.scaling.AutoScalingGroupController;
import io.fulcrum.scaling.AutoScalingSettings;
import io.fulcrum.scaling.launcher.LocalProcessLauncher;
import io.fulcrum.server.FulcrumServer;
import io.fulcrum.server.ServerTargetRegistry;
import io.fulcrum.store.FileStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code fulcrum run}: serves the desired state kept in the data directory's store until SIGTERM/SIGINT.
 * With {@code --config}, the file is applied at start and again whenever its content changes (or on
 * SIGHUP); an invalid edit is rejected whole and the running state keeps serving.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the load balancers of the stored desired state. With --config, the file is applied at"
                + " start and whenever its content changes (SIGHUP forces it); SIGTERM or Ctrl-C stops.")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    /** How often the config file's content is compared with the last applied one. */
    private static final long WATCH_INTERVAL_MILLIS = 1_000;

    @Option(names = {"-c", "--config"},
            description = "The YAML config file, applied over the stored state at start and on each change."
                    + " Without it, the stored state is served as it is.")
    Path config;

    @Option(names = "--debug-revision-header",
            description = "Add an X-Fulcrum-Revision header naming the desired-state revision that routed each"
                    + " response (a debugging aid; off by default).")
    boolean debugRevisionHeader;

    @Option(names = "--event-loops", defaultValue = "0",
            description = "I/O event loop threads (default: 0, one per core).")
    int eventLoops;

    @Option(names = "--data-dir", defaultValue = ".fulcrum",
            description = "Where Fulcrum keeps its state (the desired state's revisions under store/, the stickiness"
                    + " key, auto scaling instances' records and logs under instances/). Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--shutdown-grace", defaultValue = "10s",
            description = "How long requests in flight may finish at shutdown. Default: ${DEFAULT-VALUE}")
    String shutdownGrace;

    @Option(names = "--admin-address", defaultValue = AdminServer.DEFAULT_ADDRESS,
            description = "Where the admin API listens (loopback by default), or 'off'. Default: ${DEFAULT-VALUE}")
    String adminAddress;

    @Option(names = "--admin-token-file",
            description = "A file holding the admin API's bearer token. Without it: the environment variable "
                    + AdminToken.ENVIRONMENT_VARIABLE + ", else <data-dir>/" + AdminToken.FILE_NAME
                    + " (generated at the first start, mode 0600).")
    Path adminTokenFile;

    @Option(names = "--metrics-without-auth",
            description = "Serve the admin listener's /metrics without the bearer token (for a Prometheus scraper).")
    boolean metricsWithoutAuth;

    @Option(names = "--training-run", hidden = true,
            description = "Start, send one request to each listener, stop: a class-loading run for a CDS archive.")
    boolean trainingRun;

    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Reloads (file watch and SIGHUP) run one at a time, off the signal thread. */
    private final ScheduledExecutorService reloads = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "fulcrum-reload");
        thread.setDaemon(true);
        return thread;
    });
    /** The hash of the config file content last applied or rejected; touched only on the reload thread. */
    private String lastSeenHash;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        FulcrumConfig initial = null;
        if (config != null) {
            byte[] content;
            try {
                content = Files.readAllBytes(config);
            } catch (IOException e) {
                System.err.println(config + ": cannot read: " + e.getMessage());
                return ValidateCommand.INVALID_CONFIG;
            }
            initial = ValidateCommand.load(config);
            if (initial == null) {
                return ValidateCommand.INVALID_CONFIG;
            }
            lastSeenHash = hash(content);
        }
        Duration grace = Durations.parse(shutdownGrace);
        if (grace == null) {
            System.err.println("--shutdown-grace: \"" + shutdownGrace + "\" (expected: " + Durations.EXPECTED + ")");
            return ValidateCommand.INVALID_CONFIG;
        }
        InetSocketAddress adminBind;
        try {
            adminBind = trainingRun ? null : AdminServer.parseAddress(adminAddress);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return ValidateCommand.INVALID_CONFIG;
        }
        byte[] secret = stickinessSecret();
        Path storeDir = dataDir.resolve("store");
        FileStore store;
        try {
            store = FileStore.open(storeDir);
        } catch (IOException e) {
            System.err.println("fulcrum: cannot open the store: " + e.getMessage());
            return 1;
        }
        ControlPlane controlPlane;
        FulcrumServer[] serverRef = new FulcrumServer[1];
        AutoScaling[] autoScalingRef = new AutoScaling[1];
        StateApplier applier = (next, revision) -> {
            try {
                serverRef[0].apply(next, revision);
            } catch (ListenerBindException e) {
                throw new ApplyException(e.getMessage(), e);
            }
            autoScalingRef[0].apply(next);
        };
        try {
            controlPlane = new ControlPlane(store, applier);
        } catch (InvalidConfigException e) {
            System.err.println("fulcrum: the stored revision " + store.current().revision() + " in " + storeDir
                    + " is not a valid state: " + e.getMessage());
            store.close();
            return ValidateCommand.INVALID_CONFIG;
        }
        checkFileDescriptors(initial != null ? initial : controlPlane.current().config());
        Transport transport = Transport.best();
        FulcrumServer server = new FulcrumServer(transport, eventLoops, secret, Clock.systemUTC());
        server.debugRevisionHeader(debugRevisionHeader);
        serverRef[0] = server;
        AutoScaling autoScaling;
        LocalProcessLauncher launcher;
        try {
            launcher = LocalProcessLauncher.builder().dataDirectory(dataDir).build();
            autoScaling = new AutoScaling(launcher, new ServerTargetRegistry(server), Clock.systemUTC(),
                    new SecureRandom(), AutoScalingSettings.DEFAULTS);
            // instances a killed earlier run left are taken over, not launched twice
            autoScaling.adopt(launcher.adoptExisting());
            server.metrics().watchAutoScaling(autoScaling::groups);
        } catch (RuntimeException e) {
            System.err.println("fulcrum: cannot start auto scaling: " + e.getMessage());
            server.stop(Duration.ZERO);
            store.close();
            return 1;
        }
        autoScalingRef[0] = autoScaling;
        AdminServer admin = null;
        if (adminBind != null) {
            try {
                AdminToken token = AdminToken.load(dataDir, adminTokenFile, System.getenv(AdminToken.ENVIRONMENT_VARIABLE));
                admin = AdminServer.builder().controlPlane(controlPlane).server(server).autoScaling(autoScaling)
                        .token(token).metrics(server.metrics()::scrape).metricsWithoutAuth(metricsWithoutAuth)
                        .address(adminBind).start();
                LOG.info("Admin API on {} (bearer token from {})", admin.url(), token.source());
            } catch (IOException | RuntimeException e) {
                System.err.println("fulcrum: cannot start the admin API: " + e.getMessage());
                autoScaling.close();
                server.stop(Duration.ZERO);
                store.close();
                return 1;
            }
        }
        DesiredState serving;
        try {
            if (initial != null) {
                serving = controlPlane.applyFile(initial, "fulcrum run --config " + config);
            } else {
                controlPlane.start();
                serving = controlPlane.current();
            }
        } catch (ApplyException | InvalidConfigException e) {
            System.err.println("fulcrum: " + e.getMessage());
            if (admin != null) {
                admin.close();
            }
            autoScaling.close();
            server.stop(Duration.ZERO);
            store.close();
            return e instanceof InvalidConfigException ? ValidateCommand.INVALID_CONFIG : 1;
        }
        if (admin != null) {
            admin.markReady();
        }
        if (serving.revision() == 0) {
            LOG.warn("Nothing stored in {} and no --config: serving nothing until a desired state is applied", storeDir);
        }
        LOG.info("Fulcrum started in {} ms with revision {} ({}; {} transport)",
                (System.nanoTime() - started) / 1_000_000, serving.revision(),
                config != null ? config : "the stored state", transport.name());
        if (trainingRun) {
            train(server);
            autoScaling.close();
            server.stop(Duration.ZERO);
            launcher.close();
            store.close();
            return 0;
        }
        if (config != null) {
            Signal.handle(new Signal("HUP"), signal -> reloads.execute(() -> reload(controlPlane, true)));
            reloads.scheduleWithFixedDelay(() -> reload(controlPlane, false), WATCH_INTERVAL_MILLIS,
                    WATCH_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            Signal.handle(new Signal("HUP"), signal -> LOG.info("SIGHUP: no --config file to reload"));
        }
        Signal.handle(new Signal("TERM"), signal -> stopped.countDown());
        Signal.handle(new Signal("INT"), signal -> stopped.countDown());
        stopped.await();
        reloads.shutdownNow();
        if (admin != null) {
            admin.close(); // no change may start while the balancer stops
        }
        if (!autoScaling.groups().isEmpty()) {
            List<String> kept = autoScaling.groups().stream().filter(g -> g.currentSpec().keepInstancesOnExit())
                    .map(AutoScalingGroupController::name).toList();
            LOG.info("Stopping auto scaling groups: their instances are deregistered, drained, then terminated{}",
                    kept.isEmpty() ? "" : " (except those of " + String.join(", ", kept)
                            + ": keepInstancesOnExit leaves them running for the next run to adopt)");
        }
        autoScaling.close(); // groups with keepInstancesOnExit mark their instances kept at the launcher's close
        LOG.info("Stopping: listeners closed, requests in flight get up to {}", grace);
        server.stop(grace);
        launcher.close(); // stops any instance neither in a group nor kept (none is expected)
        store.close();
        LOG.info("Stopped");
        return 0;
    }

    /**
     * One GET per listener over loopback (over TLS on an HTTPS listener), so the request path's classes are
     * loaded for the launcher's CDS archive.
     */
    private static void train(FulcrumServer server) {
        for (var listener : server.listeners().values()) {
            boolean tls = listener.slot().routing().listener().protocol() == io.fulcrum.model.Protocol.HTTPS;
            try (java.net.Socket socket = trainingSocket(listener.boundPort(), tls)) {
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: training\r\nConnection: close\r\n\r\n"
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getInputStream().readAllBytes();
            } catch (IOException | java.security.GeneralSecurityException e) {
                LOG.debug("Training request failed: {}", e.toString());
            }
        }
    }

    private static java.net.Socket trainingSocket(int port, boolean tls)
            throws IOException, java.security.GeneralSecurityException {
        java.net.InetAddress loopback = java.net.InetAddress.getLoopbackAddress();
        if (!tls) {
            return new java.net.Socket(loopback, port);
        }
        // the training listener's certificate is a throwaway self-signed one: nothing to verify
        javax.net.ssl.TrustManager[] trustAll = {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }};
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, trustAll, null);
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket(loopback, port);
        javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        socket.setSSLParameters(parameters);
        return socket;
    }

    /**
     * Applies the config file when its content changed since it was last seen (or always, when
     * {@code force}: SIGHUP). The file is read and validated whole; an invalid one changes nothing and
     * is reported once per content.
     */
    private void reload(ControlPlane controlPlane, boolean force) {
        String cause = force ? "SIGHUP reload of " + config : "change of " + config;
        try {
            byte[] content = Files.readAllBytes(config);
            String hash = hash(content);
            if (!force && hash.equals(lastSeenHash)) {
                return;
            }
            lastSeenHash = hash;
            Path base = config.toAbsolutePath().getParent();
            FulcrumConfig next = ConfigLoader.parse(new String(content, StandardCharsets.UTF_8), base);
            long before = controlPlane.current().revision();
            DesiredState state = controlPlane.applyFile(next, cause);
            if (state.revision() == before) {
                LOG.info("Applied {}: no change (revision {})", config, state.revision());
            } else {
                LOG.info("Applied {}: revision {}", config, state.revision());
            }
        } catch (InvalidConfigException e) {
            LOG.error("{} rejected, the running config stays: {}", cause, e.getMessage());
        } catch (IOException e) {
            LOG.error("{} failed, the running config stays: cannot read: {}", cause, e.getMessage());
        } catch (ApplyException e) {
            LOG.error("{} failed, the running config stays: {}", cause, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{} failed, the running config stays", cause, e);
        }
    }

    private static String hash(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
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
