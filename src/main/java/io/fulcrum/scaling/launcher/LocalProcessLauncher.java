package io.fulcrum.scaling.launcher;

import io.fulcrum.model.ConfigProblem;
import io.fulcrum.model.LaunchTemplate;
import io.fulcrum.scaling.ExitInfo;
import io.fulcrum.scaling.ExitReason;
import io.fulcrum.scaling.Instance;
import io.fulcrum.scaling.InstanceIds;
import io.fulcrum.scaling.LaunchException;
import io.fulcrum.scaling.LaunchRequest;
import io.fulcrum.scaling.Launcher;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches each instance as a local OS process in its own session ({@code setsid}), with its output in
 * {@code <dataDir>/instances/<id>.log} and a record in {@code <dataDir>/instances/<id>.json} from
 * which a restarted Fulcrum adopts it. Linux only. All state changes run on one launcher thread;
 * futures are completed off that thread, so their callbacks may block.
 */
public final class LocalProcessLauncher implements Launcher {
    /** The default instance port range: below Linux's default ephemeral range (32768-60999). */
    public static final int DEFAULT_FIRST_PORT = 20_000;
    public static final int DEFAULT_LAST_PORT = 29_999;
    /**
     * 5 s: an instance that exits this soon after its start, before it listens on its port, while
     * the port is taken, lost a race for the port and is relaunched once on another; launch() also
     * completes at the latest after this time for an instance that never listens on its port.
     */
    public static final Duration DEFAULT_QUICK_EXIT_WINDOW = Duration.ofSeconds(5);
    /** 250 ms: how often adopted instances, which Java cannot wait on, are checked. */
    public static final Duration DEFAULT_ADOPTED_POLL_INTERVAL = Duration.ofMillis(250);
    /** How often a starting instance is checked for a listening socket on its port. */
    static final Duration LISTEN_POLL = Duration.ofMillis(50);
    private static final Duration CLOSE_SLACK = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(LocalProcessLauncher.class);

    private final Path instancesDirectory;
    private final InstanceRecords records;
    private final PortAllocator ports;
    private final boolean keepInstancesOnExit;
    /** Instances left running at close (their group's keepInstancesOnExit); launcher thread only. */
    private final Set<String> kept = new HashSet<>();
    private final Duration quickExitWindow;
    private final Clock clock;
    private final Random random;
    private final String setsid;
    private final String bootId = ProcFs.bootId();
    private final ScheduledExecutorService executor;

    /** Live instances (launched and adopted), including those being terminated. */
    private final Map<String, LocalInstance> live = new ConcurrentHashMap<>();
    // launcher thread only below
    private final Map<Integer, String> reservedPorts = new HashMap<>();
    private final Set<String> reservedIds = new HashSet<>();
    private final Set<Attempt> starting = new HashSet<>();
    private volatile boolean closed;

    /** A launch until its instance is published: it may be relaunched on another port once. */
    private static final class Attempt {
        final LaunchRequest request;
        final String id;
        final CompletableFuture<Instance> result;
        final List<Integer> conflicts = new ArrayList<>();
        int port;
        Process process;
        long startTicks;
        long startNanos;
        InstanceRecord record;
        ScheduledFuture<?> check;
        LocalInstance instance;
        boolean cancelled;

        Attempt(LaunchRequest request, String id, CompletableFuture<Instance> result) {
            this.request = request;
            this.id = id;
            this.result = result;
        }
    }

    LocalProcessLauncher(LocalProcessLauncherBuilder builder) {
        this.instancesDirectory = builder.dataDirectory.resolve("instances");
        try {
            Files.createDirectories(instancesDirectory);
        } catch (IOException e) {
            throw new IllegalArgumentException("dataDirectory: " + builder.dataDirectory + " cannot be created ("
                    + e.getMessage() + ") (expected: a writable directory)", e);
        }
        this.records = new InstanceRecords(instancesDirectory);
        this.ports = new PortAllocator(builder.firstPort, builder.lastPort);
        this.keepInstancesOnExit = builder.keepInstancesOnExit;
        this.quickExitWindow = builder.quickExitWindow;
        this.clock = builder.clock;
        this.random = builder.random;
        this.setsid = builder.setsid.toString();
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "fulcrum-launcher");
            thread.setDaemon(true);
            return thread;
        });
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
        Duration poll = builder.adoptedPollInterval;
        executor.scheduleWithFixedDelay(this::pollAdopted, poll.toNanos(), poll.toNanos(), TimeUnit.NANOSECONDS);
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
            PortAllocator.ephemeralOverlap(builder.firstPort, builder.lastPort, range).ifPresent(LOG::warn);
        } catch (IOException e) {
            LOG.debug("cannot read the ephemeral port range: {}", e.toString());
        }
    }

    public static LocalProcessLauncherBuilder builder() {
        return new LocalProcessLauncherBuilder();
    }

    /** The directory holding the instances' records and log files. */
    public Path instancesDirectory() {
        return instancesDirectory;
    }

    @Override
    public CompletableFuture<Instance> launch(LaunchRequest request) {
        java.util.Objects.requireNonNull(request, "request");
        CompletableFuture<Instance> result = new CompletableFuture<>();
        List<ConfigProblem> problems = LaunchTemplate.validate("launchTemplate", request.template());
        if (!problems.isEmpty()) {
            result.completeExceptionally(new LaunchException("cannot launch from template "
                    + request.template().name() + ": " + problems));
            return result;
        }
        if (closed || !run(() -> {
            String id = newId();
            Attempt attempt = new Attempt(request, id, result);
            starting.add(attempt);
            start(attempt);
        })) {
            result.completeExceptionally(new LaunchException("the launcher is closed"));
        }
        return result;
    }

    @Override
    public CompletableFuture<ExitInfo> terminate(String instanceId) {
        java.util.Objects.requireNonNull(instanceId, "instanceId");
        CompletableFuture<ExitInfo> result = new CompletableFuture<>();
        if (closed || !run(() -> {
            LocalInstance instance = live.get(instanceId);
            if (instance == null) {
                result.completeExceptionally(new IllegalArgumentException("instanceId: " + instanceId
                        + " (expected: a live instance of this launcher)"));
                return;
            }
            stop(instance).whenComplete((info, error) -> complete(result, info, error));
        })) {
            result.completeExceptionally(new IllegalStateException("the launcher is closed"));
        }
        return result;
    }

    @Override
    public Optional<Instance> describe(String instanceId) {
        return Optional.ofNullable(live.get(instanceId));
    }

    @Override
    public List<Instance> instances() {
        List<Instance> all = new ArrayList<>(live.values());
        all.sort(Comparator.comparing(Instance::launchTime).thenComparing(Instance::id));
        return all;
    }

    @Override
    public List<Instance> adoptExisting() {
        CompletableFuture<List<Instance>> adopted = new CompletableFuture<>();
        if (closed || !run(() -> adopted.complete(adopt()))) {
            throw new IllegalStateException("the launcher is closed");
        }
        return join(adopted);
    }

    @Override
    public void keepOnClose(String instanceId) {
        run(() -> kept.add(instanceId));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true; // no new work from outside; what runs finishes
        CompletableFuture<List<CompletableFuture<?>>> stops = new CompletableFuture<>();
        Duration[] longest = {Duration.ZERO};
        if (!run(() -> {
            List<CompletableFuture<?>> waits = new ArrayList<>();
            if (!keepInstancesOnExit) {
                for (Attempt attempt : List.copyOf(starting)) {
                    waits.add(cancel(attempt));
                    longest[0] = max(longest[0], attempt.request.template().terminationGracePeriod());
                }
                for (LocalInstance instance : live.values()) {
                    if (kept.contains(instance.id())) {
                        LOG.info("leaving {} running for the next run to adopt", instance);
                        continue;
                    }
                    waits.add(stop(instance));
                    longest[0] = max(longest[0], instance.grace());
                }
            }
            stops.complete(waits);
        })) {
            return;
        }
        List<CompletableFuture<?>> waits = join(stops);
        try {
            CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new))
                    .get(longest[0].plus(CLOSE_SLACK).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("closing the launcher: not every instance could be stopped: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }

    // ---- launching (launcher thread) ----

    private String newId() {
        String id;
        do {
            id = InstanceIds.next(random);
        } while (!reservedIds.add(id) || Files.exists(records.file(id)));
        return id;
    }

    private void start(Attempt attempt) {
        try {
            startProcess(attempt);
        } catch (LaunchException e) {
            forget(attempt);
            complete(attempt.result, null, e);
            return;
        } catch (RuntimeException | IOException e) {
            forget(attempt);
            complete(attempt.result, null, new LaunchException("cannot launch " + attempt.id + " from template "
                    + attempt.request.template().name() + ": " + e, e));
            return;
        }
        Process process = attempt.process;
        process.onExit().thenRun(() -> run(() -> exited(attempt, process)));
        attempt.check = executor.scheduleWithFixedDelay(() -> checkStarted(attempt, process),
                LISTEN_POLL.toNanos(), LISTEN_POLL.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void startProcess(Attempt attempt) throws IOException {
        LaunchTemplate template = attempt.request.template();
        Set<Integer> excluded = new HashSet<>(reservedPorts.keySet());
        excluded.addAll(attempt.conflicts);
        int port = ports.allocate(excluded);
        Map<String, String> values = Map.of("PORT", Integer.toString(port), "INSTANCE_ID", attempt.id,
                "ZONE", attempt.request.zone(), "GROUP", attempt.request.group());
        List<String> command = template.expandCommand(values);
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.putAll(template.expandEnvironment(values));
        environment.put(LaunchTemplate.MARKER_VARIABLE, attempt.id);
        String workingDirectory = template.expandWorkingDirectory(values);
        Path directory = workingDirectory == null ? null : Path.of(workingDirectory);
        if (directory != null && !Files.isDirectory(directory)) {
            throw new LaunchException("launchTemplate " + template.name() + ".workingDirectory: " + directory
                    + " (expected: an existing directory)");
        }
        if (Executables.find(command.get(0), environment.get("PATH"), directory).isEmpty()) {
            throw new LaunchException("launchTemplate " + template.name() + ".command[0]: " + command.get(0)
                    + " (expected: an executable file" + (command.get(0).contains("/") ? ")" : " on PATH)"));
        }
        Path log = instancesDirectory.resolve(attempt.id + ".log");
        appendLine(log, "fulcrum: launching " + attempt.id + " (" + template.name() + " v" + template.version()
                + ", group " + attempt.request.group() + ", zone " + attempt.request.zone() + ") on port " + port
                + " at " + clock.instant() + ": " + command);
        List<String> argv = new ArrayList<>(command.size() + 1);
        // A child the JVM just spawned is never a process group leader, so setsid() succeeds in it and
        // setsid execs the command in place (no fork): the Process we hold is the instance itself.
        argv.add(setsid);
        argv.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        attempt.startNanos = System.nanoTime();
        attempt.process = process;
        attempt.port = port;
        // the pid is the instance's from here on, even while it still execs: its start ticks are fixed
        attempt.startTicks = ProcFs.stat(process.pid()).map(ProcFs.Stat::startTicks).orElse(-1L);
        reservedPorts.put(port, attempt.id);
        attempt.record = new InstanceRecord(attempt.id, process.pid(), bootId, attempt.startTicks,
                clock.instant().toString(), port, attempt.request.zone(), attempt.request.group(), template.name(),
                template.version(), template.terminationGracePeriod().toMillis(), command, log.toString());
        records.write(attempt.record);
    }

    /** Publishes the instance once it listens on its port, or once the quick-exit window is over. */
    private void checkStarted(Attempt attempt, Process process) {
        if (attempt.instance != null || attempt.cancelled || attempt.process != process || !process.isAlive()) {
            return; // the exit handler decides
        }
        boolean listening = ProcFs.listensOn(tree(process), attempt.port);
        if (!listening && System.nanoTime() - attempt.startNanos < quickExitWindow.toNanos()) {
            return;
        }
        attempt.check.cancel(false);
        starting.remove(attempt);
        LocalInstance instance = new LocalInstance(attempt.record, process, attempt.conflicts);
        attempt.instance = instance;
        live.put(instance.id(), instance);
        LOG.info("launched {}{}", instance, listening ? ", listening" : "");
        complete(attempt.result, instance, null);
    }

    private static List<Long> tree(Process process) {
        List<Long> pids = new ArrayList<>();
        pids.add(process.pid());
        process.descendants().forEach(h -> pids.add(h.pid()));
        return pids;
    }

    private void exited(Attempt attempt, Process process) {
        if (attempt.instance != null) {
            exited(attempt.instance);
            return;
        }
        if (attempt.process != process) {
            return;
        }
        if (attempt.check != null) {
            attempt.check.cancel(false);
        }
        int code = process.exitValue();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - attempt.startNanos);
        reservedPorts.remove(attempt.port);
        Path log = instancesDirectory.resolve(attempt.id + ".log");
        // not by marker: a relaunch would carry the same one
        new TreeStop(executor, attempt.id, process.pid(), attempt.startTicks, TreeStop.Scope.TREE,
                attempt.request.template().terminationGracePeriod()).start();
        if (attempt.cancelled) {
            forget(attempt);
            complete(attempt.result, null, new LaunchException(attempt.id + ": the launcher was closed while it started"));
            return;
        }
        boolean portTaken = !PortAllocator.isFree(attempt.port);
        if (portTaken && attempt.conflicts.isEmpty()) {
            attempt.conflicts.add(attempt.port);
            String why = attempt.id + " exited with code " + code + " " + millis + " ms after its start, before"
                    + " listening on port " + attempt.port + ", which is taken: relaunching it on another port";
            LOG.warn(why);
            appendQuietly(log, "fulcrum: " + why);
            start(attempt);
            return;
        }
        forget(attempt);
        String lastLine = lastLine(log).map(line -> " (last line: " + line + ")").orElse("");
        complete(attempt.result, null, new LaunchException(attempt.id + " (template "
                + attempt.request.template().name() + ") exited with code " + code + " " + millis
                + " ms after its start, before listening on port " + attempt.port
                + (portTaken ? ", which is taken, as was port " + attempt.conflicts.get(0) : "")
                + "; see " + log + lastLine));
    }

    private void forget(Attempt attempt) {
        starting.remove(attempt);
        reservedIds.remove(attempt.id);
        records.delete(attempt.id);
    }

    private CompletableFuture<?> cancel(Attempt attempt) {
        attempt.cancelled = true;
        if (attempt.process == null || !attempt.process.isAlive()) {
            return CompletableFuture.completedFuture(null);
        }
        Process process = attempt.process;
        return new TreeStop(executor, attempt.id, process.pid(), attempt.startTicks, TreeStop.Scope.TREE_AND_MARKER,
                attempt.request.template().terminationGracePeriod()).start();
    }

    // ---- exits and terminations (launcher thread) ----

    /** A launched instance's main process ended. */
    private void exited(LocalInstance instance) {
        if (instance.termination != null) {
            return; // stop() finishes it
        }
        int code = instance.process.exitValue();
        ended(instance, new ExitInfo(instance.id(), instance.pid(), OptionalInt.of(code), ExitReason.EXITED,
                clock.instant()));
    }

    private void pollAdopted() {
        for (LocalInstance instance : live.values()) {
            if (instance.adopted() && instance.termination == null
                    && !ProcFs.isRunning(instance.pid(), instance.startTicks())) {
                ended(instance, new ExitInfo(instance.id(), instance.pid(), OptionalInt.empty(), ExitReason.VANISHED,
                        clock.instant()));
            }
        }
    }

    /** An instance ended by itself: say so at once, then stop what it left behind and forget it. */
    private void ended(LocalInstance instance, ExitInfo info) {
        live.remove(instance.id());
        LOG.info("{} ended: {}", instance, info);
        complete(instance.exit, info, null);
        stopLeftovers(instance.id(), instance.pid(), instance.startTicks(), instance.grace())
                .whenComplete((killed, error) -> run(() -> release(instance)));
    }

    private CompletableFuture<Boolean> stopLeftovers(String id, long pid, long startTicks, Duration grace) {
        return new TreeStop(executor, id, pid, startTicks, TreeStop.Scope.TREE_AND_MARKER, grace).start();
    }

    private CompletableFuture<ExitInfo> stop(LocalInstance instance) {
        if (instance.termination != null) {
            return instance.termination;
        }
        if (instance.exit.isDone()) {
            return instance.exit;
        }
        CompletableFuture<ExitInfo> termination = new CompletableFuture<>();
        instance.termination = termination;
        LOG.info("terminating {} (grace {})", instance, instance.grace());
        new TreeStop(executor, instance.id(), instance.pid(), instance.startTicks(), TreeStop.Scope.TREE_AND_MARKER,
                instance.grace()).start()
                .whenComplete((killed, error) -> {
                    if (error != null) {
                        complete(termination, null, error);
                        return;
                    }
                    ExitReason reason = killed ? ExitReason.KILLED : ExitReason.TERMINATED;
                    CompletableFuture<Process> reaped = instance.process == null
                            ? CompletableFuture.completedFuture(null) : instance.process.onExit();
                    reaped.thenAccept(process -> run(() -> {
                        OptionalInt code = process == null ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
                        ExitInfo info = new ExitInfo(instance.id(), instance.pid(), code, reason, clock.instant());
                        live.remove(instance.id());
                        release(instance);
                        LOG.info("{} terminated: {}", instance, info);
                        // one task, in this order: whoever sees the termination done sees onExit done too
                        ForkJoinPool.commonPool().execute(() -> {
                            instance.exit.complete(info);
                            termination.complete(info);
                        });
                    }));
                });
        return termination;
    }

    private void release(LocalInstance instance) {
        reservedPorts.remove(instance.port(), instance.id());
        reservedIds.remove(instance.id());
        records.delete(instance.id());
    }

    // ---- adoption (launcher thread) ----

    private List<Instance> adopt() {
        List<Instance> adopted = new ArrayList<>();
        for (InstanceRecord record : records.readAll()) {
            if (live.containsKey(record.instanceId()) || reservedIds.contains(record.instanceId())) {
                continue;
            }
            boolean sameBoot = bootId.equals(record.bootId());
            if (sameBoot && ProcFs.isRunning(record.pid(), record.startTicks())
                    && ProcFs.hasVariable(record.pid(), LaunchTemplate.MARKER_VARIABLE, record.instanceId())) {
                LocalInstance instance = new LocalInstance(record, null, List.of());
                live.put(instance.id(), instance);
                reservedIds.add(instance.id());
                reservedPorts.put(instance.port(), instance.id());
                adopted.add(instance);
                LOG.info("adopted {}", instance);
                continue;
            }
            LOG.info("forgetting instance {}: pid {} is {}", record.instanceId(), record.pid(),
                    sameBoot ? "gone or another process" : "from an earlier boot");
            records.delete(record.instanceId());
            if (sameBoot) {
                // after a gap the group id proves nothing; the marker still does
                new TreeStop(executor, record.instanceId(), record.pid(), record.startTicks(), TreeStop.Scope.MARKER,
                        Duration.ofMillis(record.terminationGracePeriodMillis())).start();
            }
        }
        return adopted;
    }

    // ---- helpers ----

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Runs on the launcher thread; false when its executor is shut down. */
    private boolean run(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("launcher task failed", e);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Completes off the launcher thread, so that callbacks may block or call back into the launcher. */
    private static <T> void complete(CompletableFuture<T> future, T value, Throwable error) {
        ForkJoinPool.commonPool().execute(() -> {
            if (error != null) {
                future.completeExceptionally(error);
            } else {
                future.complete(value);
            }
        });
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static void appendLine(Path log, String line) throws IOException {
        Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void appendQuietly(Path log, String line) {
        try {
            appendLine(log, line);
        } catch (IOException e) {
            LOG.debug("cannot write {}: {}", log, e.toString());
        }
    }

    private static Optional<String> lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank() && !lines.get(i).startsWith("fulcrum: ")) {
                    return Optional.of(lines.get(i).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot read {}: {}", log, e.toString());
        }
        return Optional.empty();
    }
}
