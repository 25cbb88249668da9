package io.fulcrum.scaling;

import io.fulcrum.health.TargetState;
import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.HealthCheckType;
import io.fulcrum.model.LaunchTemplate;
import io.fulcrum.model.ScalingPolicy;
import io.fulcrum.model.ScalingPolicyType;
import io.fulcrum.model.Target;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one auto scaling group at its desired capacity: launches instances into the zone with the
 * fewest, registers them in the attached target groups, replaces dead and (health check type ELB)
 * unhealthy ones, and drains each instance before it is stopped. Every launch and termination is a
 * {@link ScalingActivity}. All its state is kept on one thread of its own; its public methods may be
 * called from any thread.
 */
public final class AutoScalingGroupController {
    private static final Logger LOG = LoggerFactory.getLogger(AutoScalingGroupController.class);
    private static final DateTimeFormatter AWS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    /** An instance's address as a target: the local launcher's instances listen on the loopback. */
    private static final String HOST = "127.0.0.1";
    /** ELB-unhealthy instances replaced at a time, as a fraction of desired capacity (AWS: 10 %, at least one). */
    private static final int UNHEALTHY_REPLACEMENT_PERCENT = 10;

    private enum Reason { SCALE_IN, EC2_HEALTH, ELB_HEALTH, USER }

    /** An instance of the group (launched or adopted). */
    private static final class Member {
        final Instance instance;
        final Target target;
        LifecycleState state = LifecycleState.PENDING;
        boolean healthy = true;
        /** The launch activity, until the instance is in service (or failed before). */
        String launchActivity;
        /** It replaces an ELB-unhealthy instance: counts against the replacement pace until in service. */
        boolean replacesUnhealthy;
        Reason terminationReason;
        final Set<String> registeredIn = new LinkedHashSet<>();
        /** When it came into service, on the group's clock: its warm-up starts here (null before). */
        Instant inServiceAt;
        /** When the group got it, on the group's clock: its health check grace period starts here. */
        final Instant joined;

        Member(Instance instance, Instant joined) {
            this.instance = instance;
            this.joined = joined;
            this.target = new Target(HOST, instance.port(), Target.DEFAULT_WEIGHT);
        }

        boolean live() {
            return state == LifecycleState.PENDING || state == LifecycleState.IN_SERVICE;
        }
    }

    /** A launch whose instance does not exist yet. */
    private static final class Launching {
        final String zone;
        final String activityId;
        final boolean replacesUnhealthy;

        Launching(String zone, String activityId, boolean replacesUnhealthy) {
            this.zone = zone;
            this.activityId = activityId;
            this.replacesUnhealthy = replacesUnhealthy;
        }
    }

    private final Launcher launcher;
    private final TargetRegistry registry;
    private final Clock clock;
    private final Random random;
    private final AutoScalingSettings settings;
    private final ScheduledExecutorService executor;
    private final String name;

    /** Written on the controller thread only; volatile so {@link #currentSpec()} reads it from anywhere. */
    private volatile AutoScalingGroup spec;
    // controller thread only below
    private LaunchTemplate template;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final List<Launching> launching = new ArrayList<>();
    private final LinkedHashMap<String, ScalingActivity> activities = new LinkedHashMap<>();
    /** Replacements owed for instances taken out of service for health: true for an ELB one. */
    private final Deque<Boolean> owedReplacements = new ArrayDeque<>();
    /** The first sentence of the next activities' causes when a user changed the desired capacity. */
    private String desiredCause;
    /** The scaling policies by name, each with its metric state. */
    private final Map<String, TargetTracking> policies = new LinkedHashMap<>();
    private Instant nextPolicyEvaluation = Instant.MIN;
    /** The desired capacity the config last said: a reload that leaves it alone keeps what policies set. */
    private int configuredDesired;
    private int consecutiveFailures;
    private Instant nextLaunchAt = Instant.MIN;
    private boolean started;
    private CompletableFuture<Void> stopped;

    private volatile List<InstanceDescription> instanceSnapshot = List.of();
    private volatile List<ScalingActivity> activitySnapshot = List.of();

    /**
     * A controller that does nothing until {@link #start()}; {@link #adopt} the instances a previous
     * run left first.
     */
    public AutoScalingGroupController(AutoScalingGroup spec, LaunchTemplate template, Launcher launcher,
                                      TargetRegistry registry, Clock clock, Random random, AutoScalingSettings settings) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.template = Objects.requireNonNull(template, "template");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.name = spec.name();
        this.configuredDesired = spec.desiredCapacity();
        updatePolicies(spec);
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "fulcrum-asg-" + name);
            thread.setDaemon(true);
            return thread;
        });
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
    }

    public String name() {
        return name;
    }

    /** The group as it is now (its desired capacity changes with {@link #setDesiredCapacity}). */
    public AutoScalingGroup spec() {
        return call(() -> spec);
    }

    /**
     * The group as it is now, read without waiting for the controller's thread (metrics scrapes; the
     * sizes may be a moment old).
     */
    public AutoScalingGroup currentSpec() {
        return spec;
    }

    /** Takes over an instance that a previous run of Fulcrum launched for this group. */
    public void adopt(Instance instance) {
        run(() -> {
            if (stopped != null) {
                terminateUnmanaged(instance);
                return;
            }
            Member member = new Member(instance, clock.instant());
            members.put(instance.id(), member);
            LOG.info("Auto scaling group {}: adopted instance {} on port {} in {}", name, instance.id(),
                    instance.port(), instance.zone());
            watch(member);
            register(member);
            publish();
        });
    }

    /** Starts keeping the group at its desired capacity. */
    public void start() {
        run(() -> {
            if (started) {
                return;
            }
            started = true;
            long tick = settings.tickInterval().toNanos();
            executor.scheduleWithFixedDelay(this::tick, 0, tick, TimeUnit.NANOSECONDS);
        });
    }

    /**
     * Sets the desired capacity (AWS's SetDesiredCapacity); instances are launched or terminated to match.
     *
     * @throws IllegalArgumentException when {@code desired} is outside minSize..maxSize
     */
    public void setDesiredCapacity(int desired) {
        call(() -> {
            if (desired < spec.minSize() || desired > spec.maxSize()) {
                throw new IllegalArgumentException("desiredCapacity: " + desired + " (expected: " + spec.minSize()
                        + "-" + spec.maxSize() + ", between the group's minSize and maxSize)");
            }
            if (desired != spec.desiredCapacity()) {
                desiredCause = "At " + now() + " a user request explicitly set group desired capacity changing the"
                        + " desired capacity from " + spec.desiredCapacity() + " to " + desired + ".";
                spec = spec.withCapacity(spec.minSize(), spec.maxSize(), desired);
                if (started) {
                    tick();
                }
            }
            return null;
        });
    }

    /**
     * Applies a reloaded definition of the group: sizes, zones (for new launches), target groups
     * (instances are registered in new ones and deregistered from those that left) and template
     * (for new launches).
     */
    public void update(AutoScalingGroup next, LaunchTemplate nextTemplate) {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(nextTemplate, "nextTemplate");
        run(() -> {
            AutoScalingGroup previous = spec;
            AutoScalingGroup wanted = next;
            if (wanted.desiredCapacity() == configuredDesired) {
                // as AWS's UpdateAutoScalingGroup without a desired capacity: keep what policies or a user set
                int kept = Math.max(wanted.minSize(), Math.min(wanted.maxSize(), previous.desiredCapacity()));
                wanted = wanted.withCapacity(wanted.minSize(), wanted.maxSize(), kept);
            }
            configuredDesired = next.desiredCapacity();
            updatePolicies(wanted);
            spec = wanted;
            template = nextTemplate;
            if (previous.desiredCapacity() != spec.desiredCapacity()) {
                desiredCause = "At " + now() + " a user request update of AutoScalingGroup constraints to min: "
                        + spec.minSize() + ", max: " + spec.maxSize() + ", desired: " + spec.desiredCapacity()
                        + " changing the desired capacity from " + previous.desiredCapacity() + " to "
                        + spec.desiredCapacity() + ".";
            }
            for (Member member : members.values()) {
                if (member.live()) {
                    for (String group : new ArrayList<>(member.registeredIn)) {
                        if (!spec.targetGroupNames().contains(group)) {
                            member.registeredIn.remove(group);
                            registry.deregister(group, member.target);
                        }
                    }
                    register(member);
                }
            }
            if (started) {
                tick();
            }
        });
    }

    /** The group's instances now, oldest launch first. */
    public List<InstanceDescription> instances() {
        return instanceSnapshot;
    }

    /** The last scaling activities, newest first (AWS's order). */
    public List<ScalingActivity> activities() {
        return activitySnapshot;
    }

    /**
     * Stops managing the group: no more launches or replacements; every instance is deregistered,
     * drained and terminated. Completes when all are gone; the controller's thread then ends.
     */
    public CompletableFuture<Void> shutdown() {
        CompletableFuture<CompletableFuture<Void>> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                if (stopped == null) {
                    stopped = new CompletableFuture<>();
                    stopped.whenComplete((ignored, error) -> executor.shutdown());
                    for (Member member : List.copyOf(members.values())) {
                        if (member.live()) {
                            terminate(member, Reason.USER, null);
                        }
                    }
                    checkStopped();
                }
                result.complete(stopped);
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.completedFuture(null);
        }
        return result.thenCompose(f -> f);
    }

    // ---- on the controller thread

    private void tick() {
        if (stopped != null) {
            return;
        }
        try {
            Instant now = clock.instant();
            health(now);
            policies(now);
            capacity(now);
        } catch (RuntimeException e) {
            LOG.error("Auto scaling group {}: reconciliation failed", name, e);
        }
        publish();
    }

    /** Pending instances come into service; ELB-unhealthy ones past their grace period are replaced, paced. */
    private void health(Instant now) {
        boolean elb = spec.healthCheckType() == HealthCheckType.ELB;
        List<Member> unhealthy = new ArrayList<>();
        for (Member member : members.values()) {
            if (!member.live() || !member.instance.isAlive()) {
                continue; // a dead one is handled by its exit
            }
            boolean healthyEverywhere = true;
            boolean unhealthySomewhere = false;
            for (String group : spec.targetGroupNames()) {
                TargetState state = registry.state(group, member.target).orElse(null);
                healthyEverywhere &= state == TargetState.HEALTHY;
                unhealthySomewhere |= state == TargetState.UNHEALTHY;
            }
            if (member.state == LifecycleState.PENDING && (!elb || healthyEverywhere)) {
                inService(member, now);
            }
            boolean graceOver = !now.isBefore(member.joined.plus(spec.healthCheckGracePeriod()));
            if (elb && unhealthySomewhere && graceOver) {
                unhealthy.add(member);
            }
        }
        if (unhealthy.isEmpty()) {
            return;
        }
        int pace = Math.max(1, spec.desiredCapacity() * UNHEALTHY_REPLACEMENT_PERCENT / 100);
        int inProgress = 0;
        for (Member member : members.values()) {
            if ((member.state == LifecycleState.TERMINATING && member.terminationReason == Reason.ELB_HEALTH)
                    || (member.state == LifecycleState.PENDING && member.replacesUnhealthy)) {
                inProgress++;
            }
        }
        for (Launching launch : launching) {
            inProgress += launch.replacesUnhealthy ? 1 : 0;
        }
        unhealthy.sort(Comparator.comparing((Member m) -> m.instance.launchTime()).thenComparing(m -> m.instance.id()));
        for (Member member : unhealthy) {
            if (inProgress >= pace) {
                LOG.debug("Auto scaling group {}: {} unhealthy instances wait, {} replaced at a time", name,
                        unhealthy.size(), pace);
                break;
            }
            inProgress++;
            member.healthy = false;
            owedReplacements.add(true);
            terminate(member, Reason.ELB_HEALTH, null);
        }
    }

    /** Keeps each policy's state across a reload when the policy is unchanged. */
    private void updatePolicies(AutoScalingGroup group) {
        Map<String, TargetTracking> next = new LinkedHashMap<>();
        for (ScalingPolicy policy : group.policies()) {
            if (policy.type() != ScalingPolicyType.TargetTrackingScaling || policy.targetTracking() == null) {
                continue; // validation refuses these
            }
            TargetTracking current = policies.get(policy.name());
            next.put(policy.name(), current != null && current.policy().equals(policy) ? current
                    : new TargetTracking(name, policy, new UUID(random.nextLong(), random.nextLong())));
        }
        policies.clear();
        policies.putAll(next);
    }

    /**
     * Every policy interval: each policy reads the request count of the attached target groups and may
     * change the desired capacity. Scale-out wins over scale-in; scale-in needs every policy that may
     * scale in to agree, as in AWS.
     */
    private void policies(Instant now) {
        if (policies.isEmpty() || now.isBefore(nextPolicyEvaluation)) {
            return;
        }
        nextPolicyEvaluation = now.plus(settings.policyInterval());
        int warmed = 0;
        boolean warming = !launching.isEmpty();
        for (Member member : members.values()) {
            if (member.state == LifecycleState.PENDING) {
                warming = true;
            } else if (member.state == LifecycleState.IN_SERVICE) {
                if (now.isBefore(member.inServiceAt.plus(spec.defaultInstanceWarmup()))) {
                    warming = true;
                } else {
                    warmed++;
                }
            }
        }
        long requests = 0;
        for (String group : spec.targetGroupNames()) {
            requests += registry.requestCount(group);
        }
        int desired = spec.desiredCapacity();
        TargetTracking out = null;
        int outTo = desired;
        TargetTracking in = null;
        int inTo = desired;
        boolean allScaleIn = true;
        for (TargetTracking policy : policies.values()) {
            OptionalInt wanted = policy.evaluate(now, requests, warmed, warming, desired, spec.minSize(),
                    spec.maxSize(), spec.scaleInStabilization());
            if (wanted.isPresent() && wanted.getAsInt() > outTo) {
                out = policy;
                outTo = wanted.getAsInt();
            } else if (wanted.isPresent() && wanted.getAsInt() < desired) {
                if (in == null || wanted.getAsInt() > inTo) {
                    in = policy; // the smallest step any of them asks for
                    inTo = wanted.getAsInt();
                }
            } else if (!policy.policy().targetTracking().disableScaleIn()) {
                allScaleIn = false;
            }
        }
        if (out != null) {
            changeDesired(now, out, out.highAlarm(), outTo);
        } else if (in != null && allScaleIn) {
            changeDesired(now, in, in.lowAlarm(), inTo);
        }
    }

    private void changeDesired(Instant now, TargetTracking policy, String alarm, int desired) {
        LOG.info("Auto scaling group {}: policy {} (metric {} per target per minute, target {}) changes the desired"
                + " capacity from {} to {}", name, policy.policy().name(), Math.round(policy.lastMetric()),
                policy.policy().targetTracking().targetValue(), spec.desiredCapacity(), desired);
        desiredCause = "At " + format(now) + " a monitor alarm " + alarm + " in state ALARM triggered policy "
                + policy.policy().name() + " changing the desired capacity from " + spec.desiredCapacity() + " to "
                + desired + ".";
        spec = spec.withCapacity(spec.minSize(), spec.maxSize(), desired);
    }

    private void capacity(Instant now) {
        int live = launching.size();
        for (Member member : members.values()) {
            live += member.live() ? 1 : 0;
        }
        int desired = spec.desiredCapacity();
        if (live < desired && !now.isBefore(nextLaunchAt)) {
            // after failures, one probe launch at a time: a broken template must not fail N times per back-off
            int count = consecutiveFailures == 0 ? desired - live : launching.isEmpty() ? 1 : 0;
            for (int i = 0; i < count; i++) {
                launch(now, live, desired);
            }
        } else if (live > desired) {
            List<Member> candidates = new ArrayList<>();
            for (Member member : members.values()) {
                if (member.live()) {
                    candidates.add(member);
                }
            }
            int excess = Math.min(live - desired, candidates.size());
            for (int i = 0; i < excess; i++) {
                Member chosen = scaleInChoice(candidates);
                candidates.remove(chosen);
                String cause = prefix() + "At " + format(now) + " an instance was taken out of service in response"
                        + " to a difference between desired and actual capacity, shrinking the capacity from " + live
                        + " to " + desired + ".  At " + format(now) + " instance " + chosen.instance.id()
                        + " was selected for termination.";
                terminate(chosen, Reason.SCALE_IN, cause);
            }
        }
        if (live >= desired) {
            owedReplacements.clear(); // a scale-in since made them moot
        }
        desiredCause = null;
    }

    /** Scale-in: from the zone with the most instances, the oldest (AWS's default policy without billing hours). */
    private Member scaleInChoice(List<Member> candidates) {
        Map<String, Integer> perZone = new HashMap<>();
        for (Member member : candidates) {
            perZone.merge(member.instance.zone(), 1, Integer::sum);
        }
        return candidates.stream()
                .max(Comparator.comparingInt((Member m) -> m.healthy ? 0 : 1)
                        .thenComparingInt(m -> perZone.get(m.instance.zone()))
                        .thenComparing(m -> m.instance.launchTime(), Comparator.reverseOrder())
                        .thenComparing(m -> m.instance.id()))
                .orElseThrow();
    }

    private void launch(Instant now, int live, int desired) {
        String zone = leastUsedZone();
        Boolean owed = owedReplacements.poll();
        String cause = owed != null
                ? "At " + format(now) + " an instance was launched in response to an unhealthy instance needing to be replaced."
                : prefix() + "At " + format(now) + " an instance was started in response to a difference between desired"
                        + " and actual capacity, increasing the capacity from " + live + " to " + desired + ".";
        ScalingActivity activity = new ScalingActivity(newActivityId(), name, "Launching a new EC2 instance", cause,
                now, null, ActivityStatus.IN_PROGRESS, null);
        record(activity);
        Launching launch = new Launching(zone, activity.activityId(), Boolean.TRUE.equals(owed));
        launching.add(launch);
        LaunchTemplate from = template;
        CompletableFuture<Instance> future;
        try {
            future = launcher.launch(new LaunchRequest(from, name, zone));
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((instance, error) -> run(() -> launched(launch, owed, instance, error)));
    }

    private void launched(Launching launch, Boolean owed, Instance instance, Throwable error) {
        launching.remove(launch);
        Instant now = clock.instant();
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            consecutiveFailures++;
            Duration wait = backoff(consecutiveFailures);
            nextLaunchAt = now.plus(wait);
            if (owed != null) {
                owedReplacements.addFirst(owed);
            }
            finish(launch.activityId, now, ActivityStatus.FAILED, cause.getMessage());
            LOG.warn("Auto scaling group {}: launch failed ({} in a row), next try in {}: {}", name,
                    consecutiveFailures, wait, cause.getMessage());
            checkStopped();
            publish();
            return;
        }
        consecutiveFailures = 0;
        nextLaunchAt = Instant.MIN;
        Member member = new Member(instance, clock.instant());
        member.launchActivity = launch.activityId;
        member.replacesUnhealthy = launch.replacesUnhealthy;
        members.put(instance.id(), member);
        describe(launch.activityId, "Launching a new EC2 instance: " + instance.id());
        LOG.info("Auto scaling group {}: launched instance {} on port {} in {} (template {} version {})", name,
                instance.id(), instance.port(), instance.zone(), instance.templateName(), instance.templateVersion());
        watch(member);
        if (stopped != null) {
            terminate(member, Reason.USER, null);
            return;
        }
        register(member);
        tick();
    }

    /** AWS's ELB registration happens at launch; health decides when the instance is in service. */
    private void register(Member member) {
        for (String group : spec.targetGroupNames()) {
            if (member.registeredIn.add(group)) {
                try {
                    registry.register(group, member.target);
                } catch (RuntimeException e) {
                    member.registeredIn.remove(group);
                    LOG.warn("Auto scaling group {}: cannot register {} in target group {}: {}", name,
                            member.instance.id(), group, e.getMessage());
                }
            }
        }
    }

    private void watch(Member member) {
        member.instance.onExit().whenComplete((info, error) -> run(() -> exited(member, info)));
    }

    private void inService(Member member, Instant now) {
        member.state = LifecycleState.IN_SERVICE;
        member.inServiceAt = now;
        if (member.launchActivity != null) {
            finish(member.launchActivity, now, ActivityStatus.SUCCESSFUL, null);
            member.launchActivity = null;
        }
        LOG.info("Auto scaling group {}: instance {} is InService", name, member.instance.id());
    }

    /** A death Fulcrum did not ask for: EC2's health check sees it at once, and it is replaced at once. */
    private void exited(Member member, ExitInfo info) {
        if (!member.live()) {
            return; // its termination is under way
        }
        member.healthy = false;
        LOG.warn("Auto scaling group {}: instance {} ended by itself ({}{})", name, member.instance.id(),
                info == null ? "unknown" : info.reason(),
                info == null || info.exitCode().isEmpty() ? "" : ", exit code " + info.exitCode().getAsInt());
        if (stopped == null) {
            owedReplacements.add(false);
        }
        terminate(member, Reason.EC2_HEALTH, null);
        tick();
    }

    /** Deregisters and drains the instance in every target group, then stops it. */
    private void terminate(Member member, Reason reason, String scaleInCause) {
        Instant now = clock.instant();
        if (member.launchActivity != null) {
            finish(member.launchActivity, now, ActivityStatus.FAILED,
                    "Instance " + member.instance.id() + " was taken out of service before it came into service.");
            member.launchActivity = null;
        }
        member.state = LifecycleState.TERMINATING;
        member.terminationReason = reason;
        String at = "At " + format(now) + " ";
        String cause = switch (reason) {
            case SCALE_IN -> scaleInCause;
            case EC2_HEALTH -> at + "an instance was taken out of service in response to an EC2 health check"
                    + " indicating it has been terminated or stopped.";
            case ELB_HEALTH -> at + "an instance was taken out of service in response to an ELB system health check failure.";
            case USER -> at + "an instance was taken out of service in response to a user request.";
        };
        ScalingActivity activity = new ScalingActivity(newActivityId(), name,
                "Terminating EC2 instance: " + member.instance.id(), cause, now, null, ActivityStatus.IN_PROGRESS, null);
        record(activity);
        List<CompletableFuture<Void>> drains = new ArrayList<>();
        for (String group : member.registeredIn) {
            try {
                drains.add(registry.deregister(group, member.target));
            } catch (RuntimeException e) {
                LOG.warn("Auto scaling group {}: cannot deregister {} from target group {}: {}", name,
                        member.instance.id(), group, e.getMessage());
            }
        }
        member.registeredIn.clear();
        CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new))
                .handle((ignored, error) -> null)
                .thenCompose(ignored -> stop(member.instance))
                .whenComplete((ignored, error) -> run(() -> terminated(member, activity.activityId(), error)));
        publish();
    }

    private CompletableFuture<ExitInfo> stop(Instance instance) {
        if (!instance.isAlive()) {
            return instance.onExit();
        }
        CompletableFuture<ExitInfo> stopping;
        try {
            stopping = launcher.terminate(instance.id());
        } catch (RuntimeException e) {
            stopping = CompletableFuture.failedFuture(e);
        }
        // a launcher that no longer knows it: it ended meanwhile, which is what was wanted
        return stopping.exceptionallyCompose(error -> instance.isAlive()
                ? CompletableFuture.failedFuture(error) : instance.onExit());
    }

    private void terminated(Member member, String activityId, Throwable error) {
        member.state = LifecycleState.TERMINATED;
        members.remove(member.instance.id());
        Instant now = clock.instant();
        if (error == null) {
            finish(activityId, now, ActivityStatus.SUCCESSFUL, null);
        } else {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            finish(activityId, now, ActivityStatus.FAILED, cause.getMessage());
        }
        LOG.info("Auto scaling group {}: instance {} is Terminated", name, member.instance.id());
        if (stopped != null) {
            checkStopped();
            publish();
        } else {
            tick();
        }
    }

    private void checkStopped() {
        if (stopped != null && members.isEmpty() && launching.isEmpty()) {
            publish();
            stopped.complete(null);
        }
    }

    /** An adopted instance that arrives after the group was removed. */
    private void terminateUnmanaged(Instance instance) {
        stop(instance);
    }

    private String leastUsedZone() {
        Map<String, Integer> perZone = new LinkedHashMap<>();
        for (String zone : spec.zones()) {
            perZone.put(zone, 0);
        }
        for (Member member : members.values()) {
            if (member.live()) {
                perZone.computeIfPresent(member.instance.zone(), (zone, n) -> n + 1);
            }
        }
        for (Launching launch : launching) {
            perZone.computeIfPresent(launch.zone, (zone, n) -> n + 1);
        }
        String best = null;
        int fewest = Integer.MAX_VALUE;
        for (Map.Entry<String, Integer> entry : perZone.entrySet()) {
            if (entry.getValue() < fewest) {
                best = entry.getKey();
                fewest = entry.getValue();
            }
        }
        return best;
    }

    private Duration backoff(int failures) {
        long base = settings.launchBackoff().toMillis();
        long max = settings.maxLaunchBackoff().toMillis();
        long wait = base << Math.min(failures - 1, 30);
        return Duration.ofMillis(wait < 0 || wait > max ? max : wait);
    }

    private String prefix() {
        return desiredCause == null ? "" : desiredCause + "  ";
    }

    private String now() {
        return format(clock.instant());
    }

    private static String format(Instant instant) {
        return AWS_TIME.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    private String newActivityId() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private void record(ScalingActivity activity) {
        activities.put(activity.activityId(), activity);
        while (activities.size() > settings.activityHistory()) {
            activities.remove(activities.keySet().iterator().next());
        }
        LOG.info("Auto scaling group {}: activity {}", name, activity);
    }

    private void describe(String activityId, String description) {
        ScalingActivity activity = activities.get(activityId);
        if (activity != null) {
            activities.put(activityId, activity.describing(description));
        }
    }

    private void finish(String activityId, Instant at, ActivityStatus status, String message) {
        ScalingActivity activity = activities.get(activityId);
        if (activity != null && activity.status() == ActivityStatus.IN_PROGRESS) {
            ScalingActivity done = activity.finish(at, status, message);
            activities.put(activityId, done);
            LOG.info("Auto scaling group {}: activity {}", name, done);
        }
    }

    private void publish() {
        List<InstanceDescription> list = new ArrayList<>();
        for (Member member : members.values()) {
            Instance instance = member.instance;
            list.add(new InstanceDescription(instance.id(), name, instance.zone(), member.state, member.healthy,
                    instance.port(), instance.launchTime(), instance.templateName(), instance.templateVersion(),
                    instance.adopted()));
        }
        list.sort(Comparator.comparing(InstanceDescription::launchTime).thenComparing(InstanceDescription::instanceId));
        instanceSnapshot = List.copyOf(list);
        List<ScalingActivity> newestFirst = new ArrayList<>(activities.values());
        java.util.Collections.reverse(newestFirst);
        activitySnapshot = List.copyOf(newestFirst);
    }

    // ---- thread hops

    private void run(Runnable task) {
        try {
            executor.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Auto scaling group {}: stopped; a late event is ignored", name);
        }
    }

    private <T> T call(Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(task.get());
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new IllegalStateException("auto scaling group " + name + " is shut down", e);
        }
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
