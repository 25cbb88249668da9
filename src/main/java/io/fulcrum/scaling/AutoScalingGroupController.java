package io.fulcrum.scaling;

import io.fulcrum.health.TargetState;
import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.CronExpression;
import io.fulcrum.model.ScheduledAction;
import io.fulcrum.model.HealthCheckType;
import io.fulcrum.model.LaunchTemplate;
import io.fulcrum.model.PredefinedMetric;
import io.fulcrum.model.ScalingPolicy;
import io.fulcrum.model.ScalingPolicyType;
import io.fulcrum.model.Target;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
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
 * unhealthy ones, and drains each instance before it is stopped; evaluates scaling policies and
 * scheduled actions, keeps zones balanced, and runs instance refreshes. Its public operations are
 * AWS's (SetDesiredCapacity, TerminateInstanceInAutoScalingGroup, EnterStandby, ExitStandby,
 * SetInstanceProtection, Suspend/ResumeProcesses, Start/Cancel/RollbackInstanceRefresh) and refuse with
 * an {@link AutoScalingException} carrying AWS's error code. Every launch and termination is a
 * {@link ScalingActivity}. All its state is kept on one thread of its own; its public methods may be
 * called from any thread (the operations wait for that thread; the describe methods never block).
 */
public final class AutoScalingGroupController {
    private static final Logger LOG = LoggerFactory.getLogger(AutoScalingGroupController.class);
    private static final DateTimeFormatter AWS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    /** An instance's address as a target: the local launcher's instances listen on the loopback. */
    private static final String HOST = "127.0.0.1";
    /** ELB-unhealthy instances replaced at a time, as a fraction of desired capacity (AWS: 10 %, at least one). */
    private static final int UNHEALTHY_REPLACEMENT_PERCENT = 10;

    private enum Reason { SCALE_IN, EC2_HEALTH, ELB_HEALTH, USER, USER_REQUEST, REFRESH }

    /** An instance refresh and its progress. */
    private static final class Refresh {
        final String id;
        final InstanceRefreshPreferences preferences;
        final Instant start;
        /** The template in use before the refresh's; null when there was none to roll back to. */
        final LaunchTemplate rollback;
        InstanceRefreshStatus status = InstanceRefreshStatus.InProgress;
        String reason;
        Instant end;
        LaunchTemplate target;
        int total;
        int percentage;
        int remaining;

        Refresh(String id, InstanceRefreshPreferences preferences, Instant start, LaunchTemplate target,
                LaunchTemplate rollback) {
            this.id = id;
            this.preferences = preferences;
            this.start = start;
            this.target = target;
            this.rollback = rollback;
        }
    }

    /** An instance of the group (launched or adopted). */
    private static final class Member {
        final Instance instance;
        final Target target;
        LifecycleState state = LifecycleState.PENDING;
        boolean healthy = true;
        boolean protectedFromScaleIn;
        /** The launch (or exit-standby) activity, until the instance is in service (or failed before). */
        String launchActivity;
        /** It was launched to rebalance zones: the group holds one more than desired until it is in service. */
        boolean rebalance;
        /** It was launched while an instance refresh ran: its failure fails the refresh. */
        boolean fromRefresh;
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

    /** A scheduled action and when it runs next (null: never again). */
    private static final class ScheduledRun {
        final ScheduledAction action;
        final CronExpression cron;
        final ZoneId zone;
        Instant next;

        ScheduledRun(ScheduledAction action, Instant now) {
            this.action = action;
            this.cron = action.recurrence() == null ? null : CronExpression.parse(action.recurrence());
            this.zone = action.timeZone() == null ? ZoneOffset.UTC : ZoneId.of(action.timeZone());
            Instant from = action.startTime() != null && action.startTime().isAfter(now)
                    ? action.startTime().minusNanos(1) : now;
            this.next = cron == null ? (action.startTime() != null && action.startTime().isAfter(now) ? action.startTime() : null)
                    : following(from);
        }

        /** The first run strictly after {@code after}, within the action's end time. */
        Instant following(Instant after) {
            if (cron == null) {
                return null;
            }
            Instant run = cron.next(after.atZone(zone), zone).map(ZonedDateTime::toInstant).orElse(null);
            return run == null || (action.endTime() != null && run.isAfter(action.endTime())) ? null : run;
        }
    }

    /** A launch whose instance does not exist yet. */
    private static final class Launching {
        final String zone;
        final String activityId;
        final boolean replacesUnhealthy;
        final boolean rebalance;

        Launching(String zone, String activityId, boolean replacesUnhealthy, boolean rebalance) {
            this.zone = zone;
            this.activityId = activityId;
            this.replacesUnhealthy = replacesUnhealthy;
            this.rebalance = rebalance;
        }
    }

    private final Launcher launcher;
    private final TargetRegistry registry;
    private final Clock clock;
    private final Random random;
    private final AutoScalingSettings settings;
    private final CpuMeter cpuMeter;
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
    /** The step and simple scaling policies by name, each with its alarm state. */
    private final Map<String, AlarmScaling> alarmPolicies = new LinkedHashMap<>();
    /** The scheduled actions by name, each with its next run. */
    private final Map<String, ScheduledRun> scheduled = new LinkedHashMap<>();
    private Instant nextPolicyEvaluation = Instant.MIN;
    private Instant lastPolicyEvaluation;
    private long lastRequestCount;
    private ResponseTimeTotals lastResponseTimes = ResponseTimeTotals.NONE;
    /** Per instance id: {epoch seconds, CPU seconds} at the last evaluation. */
    private final Map<String, double[]> cpuSamples = new HashMap<>();
    /** The desired capacity the config last said: a reload that leaves it alone keeps what policies set. */
    private int configuredDesired;
    private int consecutiveFailures;
    private Instant nextLaunchAt = Instant.MIN;
    private final java.util.EnumSet<ProcessType> suspended = java.util.EnumSet.noneOf(ProcessType.class);
    /** When the last launch or termination ended: the cooldown runs from here. */
    private Instant lastActivityEnd = Instant.MIN;
    /** A zone-rebalancing launch is in flight or pending: the group holds desired + 1 until it is in service. */
    private boolean rebalanceLaunching;
    /** A rebalancing instance came into service: the next scale-in is the rebalancing's termination. */
    private boolean rebalanceTerminating;
    private boolean started;
    private CompletableFuture<Void> stopped;
    /** Set with {@link #stopped}: instances are left running rather than terminated. */
    private boolean keepOnStop;
    /** The template before the last reload that changed it: what an instance refresh rolls back to. */
    private LaunchTemplate previousTemplate;
    /** The refreshes, oldest first; the last may be active. */
    private final LinkedHashMap<String, Refresh> refreshes = new LinkedHashMap<>();
    private volatile List<InstanceRefresh> refreshSnapshot = List.of();

    private volatile List<InstanceDescription> instanceSnapshot = List.of();
    private volatile AutoScalingGroupDescription descriptionSnapshot;
    private volatile List<ScalingActivity> activitySnapshot = List.of();

    /**
     * A controller that does nothing until {@link #start()}; {@link #adopt} the instances a previous
     * run left first.
     */
    public AutoScalingGroupController(AutoScalingGroup spec, LaunchTemplate template, Launcher launcher,
                                      TargetRegistry registry, Clock clock, Random random, AutoScalingSettings settings) {
        this(spec, template, launcher, registry, clock, random, settings, new io.fulcrum.scaling.launcher.ProcessTreeCpu());
    }

    /** A controller that reads instances' CPU time through {@code cpuMeter} (ASGAverageCPUUtilization). */
    public AutoScalingGroupController(AutoScalingGroup spec, LaunchTemplate template, Launcher launcher,
                                      TargetRegistry registry, Clock clock, Random random, AutoScalingSettings settings,
                                      CpuMeter cpuMeter) {
        this.cpuMeter = Objects.requireNonNull(cpuMeter, "cpuMeter");
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
        updateSchedule(spec);
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

    /** {@link #setDesiredCapacity(int, boolean)} without honouring the cooldown (AWS's default). */
    public void setDesiredCapacity(int desired) {
        setDesiredCapacity(desired, false);
    }

    /**
     * Sets the desired capacity (AWS's SetDesiredCapacity); instances are launched or terminated to match.
     *
     * @param honorCooldown true: refuse while a launch or termination is in progress or the group's
     *     default cooldown since the last one has not passed
     * @throws AutoScalingException ValidationError when {@code desired} is outside minSize..maxSize;
     *     ScalingActivityInProgress when {@code honorCooldown} and the group is busy or cooling down
     */
    public void setDesiredCapacity(int desired, boolean honorCooldown) {
        call(() -> {
            if (desired < spec.minSize() || desired > spec.maxSize()) {
                throw AutoScalingException.validation("desiredCapacity: " + desired + " (expected: " + spec.minSize()
                        + "-" + spec.maxSize() + ", between the group's minSize and maxSize)");
            }
            if (honorCooldown) {
                coolingDown(clock.instant()).ifPresent(why -> {
                    throw new AutoScalingException(AutoScalingErrorCode.ScalingActivityInProgress, why);
                });
            }
            if (desired != spec.desiredCapacity()) {
                desiredCause = "At " + now() + " a user request explicitly set group desired capacity changing the"
                        + " desired capacity from " + spec.desiredCapacity() + " to " + desired + ".";
                spec = spec.withCapacity(spec.minSize(), spec.maxSize(), desired);
                tickIfStarted();
            }
            return null;
        });
    }

    /**
     * Terminates one instance (AWS's TerminateInstanceInAutoScalingGroup): it is deregistered, drained
     * and stopped. Without {@code shouldDecrementDesiredCapacity} a replacement is launched.
     *
     * @return the termination activity
     * @throws AutoScalingException ValidationError for an instance the group does not have, one already
     *     terminating, or a decrement below minSize
     */
    public ScalingActivity terminateInstance(String instanceId, boolean shouldDecrementDesiredCapacity) {
        return call(() -> {
            Member member = member(instanceId);
            if (member.state == LifecycleState.TERMINATING) {
                throw AutoScalingException.validation("instanceId: " + instanceId
                        + " is already Terminating (expected: an instance that is not terminating)");
            }
            boolean counted = member.live();
            String cause = "At " + now() + " instance " + instanceId + " was taken out of service in response to a user request";
            if (shouldDecrementDesiredCapacity && counted) {
                int desired = spec.desiredCapacity() - 1;
                if (desired < spec.minSize()) {
                    throw AutoScalingException.validation("shouldDecrementDesiredCapacity: true would set desiredCapacity"
                            + " to " + desired + " (expected: at least minSize " + spec.minSize() + ")");
                }
                cause += ", shrinking the capacity from " + spec.desiredCapacity() + " to " + desired + ".";
                spec = spec.withCapacity(spec.minSize(), spec.maxSize(), desired);
            } else {
                cause += ".";
            }
            String id = terminate(member, Reason.USER_REQUEST, cause);
            tickIfStarted();
            return activities.get(id);
        });
    }

    /**
     * Moves InService instances to Standby (AWS's EnterStandby): each is deregistered from the target
     * groups and drained, then kept running outside the group's capacity and its health checks.
     * Without {@code shouldDecrementDesiredCapacity} replacements are launched.
     *
     * @return one activity per instance, in the order given
     * @throws AutoScalingException ValidationError for an unknown instance, one not InService, or a
     *     decrement below minSize; nothing changes then
     */
    public List<ScalingActivity> enterStandby(List<String> instanceIds, boolean shouldDecrementDesiredCapacity) {
        List<String> ids = List.copyOf(instanceIds);
        return call(() -> {
            List<Member> chosen = distinct(ids, LifecycleState.IN_SERVICE);
            int before = spec.desiredCapacity();
            int after = shouldDecrementDesiredCapacity ? before - chosen.size() : before;
            if (after < spec.minSize()) {
                throw AutoScalingException.validation("shouldDecrementDesiredCapacity: true would set desiredCapacity"
                        + " to " + after + " (expected: at least minSize " + spec.minSize() + ")");
            }
            spec = spec.withCapacity(spec.minSize(), spec.maxSize(), after);
            List<ScalingActivity> result = new ArrayList<>();
            int capacity = before;
            for (Member member : chosen) {
                String cause = "At " + now() + " instance " + member.instance.id()
                        + " was moved to standby in response to a user request";
                if (shouldDecrementDesiredCapacity) {
                    cause += ", shrinking the capacity from " + capacity + " to " + (capacity - 1) + ".";
                    capacity--;
                } else {
                    cause += ".";
                }
                result.add(enterStandby(member, cause));
            }
            tickIfStarted();
            return List.copyOf(result);
        });
    }

    /**
     * Returns Standby instances to service (AWS's ExitStandby): the desired capacity grows by their
     * number; each is registered again and is InService once healthy, as a new instance would be.
     *
     * @return one activity per instance, in the order given; each ends when its instance is InService
     * @throws AutoScalingException ValidationError for an unknown instance, one not in Standby, or a
     *     desired capacity that would exceed maxSize; nothing changes then
     */
    public List<ScalingActivity> exitStandby(List<String> instanceIds) {
        List<String> ids = List.copyOf(instanceIds);
        return call(() -> {
            List<Member> chosen = distinct(ids, LifecycleState.STANDBY);
            int before = spec.desiredCapacity();
            int after = before + chosen.size();
            if (after > spec.maxSize()) {
                throw AutoScalingException.validation("instanceIds: " + ids + " would set desiredCapacity to " + after
                        + " (expected: at most maxSize " + spec.maxSize() + ")");
            }
            spec = spec.withCapacity(spec.minSize(), spec.maxSize(), after);
            List<ScalingActivity> result = new ArrayList<>();
            int capacity = before;
            for (Member member : chosen) {
                Instant now = clock.instant();
                String cause = "At " + format(now) + " instance " + member.instance.id() + " was moved out of standby in"
                        + " response to a user request, increasing the capacity from " + capacity + " to " + (capacity + 1) + ".";
                capacity++;
                ScalingActivity activity = new ScalingActivity(newActivityId(), name,
                        "Moving EC2 instance out of Standby: " + member.instance.id(), cause, now, null,
                        ActivityStatus.IN_PROGRESS, null);
                record(activity);
                member.state = LifecycleState.PENDING;
                member.launchActivity = activity.activityId();
                register(member);
                result.add(activity);
            }
            tickIfStarted();
            publish();
            return result.stream().map(a -> activities.getOrDefault(a.activityId(), a)).toList();
        });
    }

    /**
     * Protects instances from scale-in, or lifts the protection (AWS's SetInstanceProtection). A
     * protected instance is still replaced when it is unhealthy, and terminated on request.
     *
     * @throws AutoScalingException ValidationError for an instance the group does not have
     */
    public void setInstanceProtection(List<String> instanceIds, boolean protectedFromScaleIn) {
        List<String> ids = List.copyOf(instanceIds);
        call(() -> {
            List<Member> chosen = distinct(ids, null);
            for (Member member : chosen) {
                member.protectedFromScaleIn = protectedFromScaleIn;
            }
            publish();
            tickIfStarted();
            return null;
        });
    }

    /**
     * Suspends processes (AWS's SuspendProcesses); an empty set suspends all of them. What each stops
     * is said on {@link ProcessType}.
     */
    public void suspendProcesses(Set<ProcessType> processes) {
        Set<ProcessType> chosen = processes.isEmpty() ? Set.of(ProcessType.values()) : Set.copyOf(processes);
        call(() -> {
            suspended.addAll(chosen);
            LOG.info("Auto scaling group {}: suspended {}", name, chosen);
            publish();
            return null;
        });
    }

    /**
     * Resumes suspended processes (AWS's ResumeProcesses); an empty set resumes all. Resuming
     * AddToLoadBalancer registers the instances launched meanwhile.
     */
    public void resumeProcesses(Set<ProcessType> processes) {
        Set<ProcessType> chosen = processes.isEmpty() ? Set.of(ProcessType.values()) : Set.copyOf(processes);
        call(() -> {
            suspended.removeAll(chosen);
            LOG.info("Auto scaling group {}: resumed {}", name, chosen);
            if (chosen.contains(ProcessType.AddToLoadBalancer)) {
                for (Member member : members.values()) {
                    if (member.live()) {
                        register(member);
                    }
                }
            }
            publish();
            tickIfStarted();
            return null;
        });
    }

    /** The processes suspended now. */
    public Set<ProcessType> suspendedProcesses() {
        return describe().suspendedProcesses();
    }

    /** The group now, with its instances (AWS's DescribeAutoScalingGroups); never blocks. */
    public AutoScalingGroupDescription describe() {
        AutoScalingGroupDescription description = descriptionSnapshot;
        return description != null ? description : call(() -> {
            publish();
            return descriptionSnapshot;
        });
    }

    /**
     * Starts replacing the instances not launched from the group's launch template version (AWS's
     * StartInstanceRefresh, with SkipMatching): in batches that keep {@code minHealthyPercentage} of
     * the desired capacity InService, healthy and warmed up; terminate first, then launch.
     *
     * @throws AutoScalingException InstanceRefreshInProgress when one is already running
     */
    public InstanceRefresh startInstanceRefresh(InstanceRefreshPreferences preferences) {
        Objects.requireNonNull(preferences, "preferences");
        return call(() -> {
            Refresh active = activeRefresh();
            if (active != null) {
                throw new AutoScalingException(AutoScalingErrorCode.InstanceRefreshInProgress, "instance refresh "
                        + active.id + " is " + active.status + " (expected: no refresh in progress; cancel it first)");
            }
            Refresh refresh = new Refresh(newActivityId(), preferences, clock.instant(), template, previousTemplate);
            refresh.total = outdated(template).size();
            refresh.remaining = refresh.total;
            refreshes.put(refresh.id, refresh);
            while (refreshes.size() > 50) {
                refreshes.remove(refreshes.keySet().iterator().next());
            }
            LOG.info("Auto scaling group {}: instance refresh {} started: {} instances to move to {} version {}", name,
                    refresh.id, refresh.total, template.name(), template.version());
            tickIfStarted();
            publish();
            return snapshot(refresh);
        });
    }

    /**
     * Cancels the running instance refresh (AWS's CancelInstanceRefresh): no further batch starts;
     * instances already replaced stay.
     *
     * @throws AutoScalingException ActiveInstanceRefreshNotFound when none is running
     */
    public InstanceRefresh cancelInstanceRefresh() {
        return call(() -> {
            Refresh refresh = requireActiveRefresh();
            endRefresh(refresh, InstanceRefreshStatus.Cancelled, "The instance refresh was cancelled by a user request.");
            publish();
            return snapshot(refresh);
        });
    }

    /**
     * Rolls the running instance refresh back (AWS's RollbackInstanceRefresh): the template in use
     * before it is put back and the instances launched from the new one are replaced.
     *
     * @throws AutoScalingException ActiveInstanceRefreshNotFound when none is running;
     *     ValidationError when there is no previous template to go back to, or it is already rolling back
     */
    public InstanceRefresh rollbackInstanceRefresh() {
        return call(() -> {
            Refresh refresh = requireActiveRefresh();
            if (refresh.rollback == null || refresh.status == InstanceRefreshStatus.RollbackInProgress) {
                throw AutoScalingException.validation("instance refresh " + refresh.id + (refresh.rollback == null
                        ? " has no previous launch template version to go back to" : " is already rolling back")
                        + " (expected: a refresh started after a reload that changed the template)");
            }
            rollback(refresh, "The instance refresh was rolled back by a user request.");
            tickIfStarted();
            publish();
            return snapshot(refresh);
        });
    }

    /** The instance refreshes, newest first (AWS's DescribeInstanceRefreshes); never blocks. */
    public List<InstanceRefresh> instanceRefreshes() {
        return refreshSnapshot;
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
            updateSchedule(wanted);
            spec = wanted;
            if (!nextTemplate.equals(template)) {
                previousTemplate = template;
            }
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
        return shutdown(false);
    }

    /**
     * Stops managing the group, as {@link #shutdown()}; with {@code keepInstances} (the group's
     * {@code keepInstancesOnExit}, when Fulcrum exits) its instances are left running and registered
     * instead, and the launcher is told to keep them at its close so that the next run adopts them.
     * Instances already terminating still end; one launching when this is called is kept too.
     */
    public CompletableFuture<Void> shutdown(boolean keepInstances) {
        CompletableFuture<CompletableFuture<Void>> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                if (stopped == null) {
                    stopped = new CompletableFuture<>();
                    keepOnStop = keepInstances;
                    stopped.whenComplete((ignored, error) -> executor.shutdown());
                    for (Member member : List.copyOf(members.values())) {
                        if (member.state == LifecycleState.TERMINATING) {
                            continue;
                        }
                        if (keepInstances) {
                            keep(member);
                        } else {
                            terminate(member, Reason.USER, null);
                        }
                    }
                    if (keepInstances && !members.isEmpty()) {
                        LOG.info("Auto scaling group {}: keepInstancesOnExit: its instances are left running", name);
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

    private void tickIfStarted() {
        if (started) {
            tick();
        }
    }

    private Member member(String instanceId) {
        Member member = instanceId == null ? null : members.get(instanceId);
        if (member == null || member.state == LifecycleState.TERMINATED) {
            throw AutoScalingException.validation("instanceId: " + instanceId + " (expected: an instance of auto scaling"
                    + " group " + name + ": " + (members.isEmpty() ? "it has none" : String.join(", ", members.keySet())) + ")");
        }
        return member;
    }

    /** The members with these ids, each once, all in {@code state} (any but Terminating when null); or a ValidationError. */
    private List<Member> distinct(List<String> ids, LifecycleState state) {
        if (ids.isEmpty()) {
            throw AutoScalingException.validation("instanceIds: [] (expected: at least one instance id)");
        }
        Set<Member> chosen = new LinkedHashSet<>();
        for (String id : ids) {
            Member member = member(id);
            if (state != null && member.state != state) {
                throw AutoScalingException.validation("instanceIds: " + id + " is " + member.state + " (expected: an"
                        + " instance in " + state + ")");
            }
            if (state == null && member.state == LifecycleState.TERMINATING) {
                throw AutoScalingException.validation("instanceIds: " + id + " is Terminating (expected: an instance"
                        + " that is not terminating)");
            }
            chosen.add(member);
        }
        return List.copyOf(chosen);
    }

    /** Why the group is not ready for a change that honours the cooldown, if it is not. */
    private java.util.Optional<String> coolingDown(Instant now) {
        for (ScalingActivity activity : activities.values()) {
            if (activity.status() == ActivityStatus.IN_PROGRESS) {
                return java.util.Optional.of("Scaling activity " + activity.activityId() + " is in progress and blocks"
                        + " this action (expected: a retry once it has ended)");
            }
        }
        Instant over = lastActivityEnd.equals(Instant.MIN) ? Instant.MIN : lastActivityEnd.plus(spec.defaultCooldown());
        if (now.isBefore(over)) {
            return java.util.Optional.of("the group's cooldown of " + spec.defaultCooldown().toSeconds() + "s runs until "
                    + format(over) + " (expected: a retry after it, or honorCooldown false)");
        }
        return java.util.Optional.empty();
    }

    /** Deregisters and drains the instance in every target group; it is in Standby once that is over. */
    private ScalingActivity enterStandby(Member member, String cause) {
        Instant now = clock.instant();
        member.state = LifecycleState.ENTERING_STANDBY;
        ScalingActivity activity = new ScalingActivity(newActivityId(), name,
                "Moving EC2 instance to Standby: " + member.instance.id(), cause, now, null, ActivityStatus.IN_PROGRESS, null);
        record(activity);
        CompletableFuture.allOf(deregisterAll(member).toArray(CompletableFuture[]::new))
                .handle((ignored, error) -> null)
                .whenComplete((ignored, error) -> run(() -> {
                    if (member.state == LifecycleState.ENTERING_STANDBY) {
                        member.state = LifecycleState.STANDBY;
                        finish(activity.activityId(), clock.instant(), ActivityStatus.SUCCESSFUL, null);
                        LOG.info("Auto scaling group {}: instance {} is in Standby", name, member.instance.id());
                        publish();
                    }
                }));
        publish();
        return activity;
    }

    private List<CompletableFuture<Void>> deregisterAll(Member member) {
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
        return drains;
    }

    private boolean suspended(ProcessType process) {
        return suspended.contains(process);
    }

    private void tick() {
        if (stopped != null) {
            return;
        }
        try {
            Instant now = clock.instant();
            health(now);
            schedule(now);
            policies(now);
            refresh(now);
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
            // where it is registered: with AddToLoadBalancer suspended it is nowhere, and in service when running
            for (String group : member.registeredIn) {
                TargetState state = registry.state(group, member.target).orElse(null);
                healthyEverywhere &= state == TargetState.HEALTHY;
                unhealthySomewhere |= state == TargetState.UNHEALTHY;
            }
            if (member.state == LifecycleState.PENDING && (!elb || healthyEverywhere)) {
                inService(member, now);
            }
            boolean graceOver = !now.isBefore(member.joined.plus(spec.healthCheckGracePeriod()));
            if (elb && unhealthySomewhere && graceOver && !suspended(ProcessType.HealthCheck)) {
                unhealthy.add(member);
            }
        }
        if (unhealthy.isEmpty()) {
            return;
        }
        if (suspended(ProcessType.ReplaceUnhealthy) || suspended(ProcessType.Terminate)) {
            unhealthy.forEach(member -> member.healthy = false); // marked, and replaced once resumed
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
            if (member.fromRefresh) {
                refreshFailure("Instance " + member.instance.id() + " failed its ELB health check.");
            }
            terminate(member, Reason.ELB_HEALTH, null);
        }
    }

    private Refresh activeRefresh() {
        Refresh last = null;
        for (Refresh refresh : refreshes.values()) {
            last = refresh;
        }
        return last != null && last.status.active() ? last : null;
    }

    private Refresh requireActiveRefresh() {
        Refresh refresh = activeRefresh();
        if (refresh == null) {
            throw new AutoScalingException(AutoScalingErrorCode.ActiveInstanceRefreshNotFound,
                    "auto scaling group " + name + " has no instance refresh in progress (expected: a refresh to act on)");
        }
        return refresh;
    }

    private static boolean launchedFrom(Member member, LaunchTemplate version) {
        return member.instance.templateName().equals(version.name()) && member.instance.templateVersion() == version.version();
    }

    /** Live instances not launched from {@code version}, oldest first. */
    private List<Member> outdated(LaunchTemplate version) {
        List<Member> result = new ArrayList<>();
        for (Member member : members.values()) {
            if (member.live() && !launchedFrom(member, version)) {
                result.add(member);
            }
        }
        result.sort(Comparator.comparing((Member m) -> m.instance.launchTime()).thenComparing(m -> m.instance.id()));
        return result;
    }

    /**
     * One step of the running refresh: once the last batch's replacements are InService, healthy and
     * warmed up, terminate the next batch (their replacements are launched as any missing capacity is).
     */
    private void refresh(Instant now) {
        Refresh refresh = activeRefresh();
        if (refresh == null || suspended(ProcessType.InstanceRefresh)) {
            return;
        }
        Duration warmup = refresh.preferences.instanceWarmup() != null ? refresh.preferences.instanceWarmup()
                : spec.defaultInstanceWarmup();
        List<Member> old = outdated(refresh.target);
        int notReady = launching.size();
        int healthy = 0;
        for (Member member : members.values()) {
            boolean ready = member.state == LifecycleState.IN_SERVICE && member.healthy
                    && !now.isBefore(member.inServiceAt.plus(warmup));
            if (member.live() && launchedFrom(member, refresh.target) && !ready) {
                notReady++;
            }
            if (member.state == LifecycleState.TERMINATING && member.terminationReason == Reason.REFRESH) {
                notReady++;
            }
            healthy += member.live() && ready ? 1 : 0;
        }
        refresh.remaining = old.size();
        int done = refresh.total - old.size() - Math.min(notReady, refresh.total);
        refresh.percentage = refresh.total == 0 ? 100 : Math.max(0, Math.min(100, done * 100 / refresh.total));
        if (old.isEmpty() && notReady == 0) {
            refresh.percentage = 100;
            endRefresh(refresh, refresh.status == InstanceRefreshStatus.RollbackInProgress
                    ? InstanceRefreshStatus.RollbackSuccessful : InstanceRefreshStatus.Successful, refresh.reason);
            return;
        }
        if (notReady > 0 || old.isEmpty() || healthy < spec.desiredCapacity() || suspended(ProcessType.Terminate)
                || suspended(ProcessType.Launch)) {
            return; // the last batch is not ready yet, or the group is not whole
        }
        int keep = (int) Math.ceil(spec.desiredCapacity() * refresh.preferences.minHealthyPercentage() / 100.0);
        int batch = Math.min(old.size(), Math.max(1, healthy - keep));
        for (int i = 0; i < batch; i++) {
            Member member = old.get(i);
            String at = "At " + format(now);
            terminate(member, Reason.REFRESH, at + " an instance was taken out of service in response to an instance"
                    + " refresh.  " + at + " instance " + member.instance.id() + " was selected for termination.");
        }
    }

    /** A new instance failed: the refresh rolls back (AutoRollback) or fails; a failing rollback fails. */
    private void refreshFailure(String why) {
        Refresh refresh = activeRefresh();
        if (refresh == null) {
            return;
        }
        if (refresh.status == InstanceRefreshStatus.RollbackInProgress) {
            endRefresh(refresh, InstanceRefreshStatus.RollbackFailed, why);
        } else if (refresh.preferences.autoRollback() && refresh.rollback != null) {
            rollback(refresh, why);
        } else {
            endRefresh(refresh, InstanceRefreshStatus.Failed, why);
        }
    }

    private void rollback(Refresh refresh, String why) {
        LOG.warn("Auto scaling group {}: instance refresh {} rolls back to {} version {}: {}", name, refresh.id,
                refresh.rollback.name(), refresh.rollback.version(), why);
        refresh.status = InstanceRefreshStatus.RollbackInProgress;
        refresh.reason = why;
        refresh.target = refresh.rollback;
        template = refresh.rollback;
        refresh.remaining = outdated(refresh.rollback).size();
        refresh.total = refresh.remaining + launching.size();
        consecutiveFailures = 0; // the failures were the new version's
        nextLaunchAt = Instant.MIN;
    }

    private void endRefresh(Refresh refresh, InstanceRefreshStatus status, String reason) {
        refresh.status = status;
        refresh.reason = reason;
        refresh.end = clock.instant();
        LOG.info("Auto scaling group {}: instance refresh {} is {}{}", name, refresh.id, status,
                reason == null ? "" : ": " + reason);
    }

    private InstanceRefresh snapshot(Refresh refresh) {
        return new InstanceRefresh(refresh.id, name, refresh.status, refresh.reason, refresh.start, refresh.end,
                refresh.percentage, refresh.remaining, refresh.target.name(), refresh.target.version(),
                refresh.preferences);
    }

    /** Keeps each scheduled action's next run across a reload when the action is unchanged. */
    private void updateSchedule(AutoScalingGroup group) {
        Instant now = clock.instant();
        Map<String, ScheduledRun> next = new LinkedHashMap<>();
        for (ScheduledAction action : group.scheduledActions()) {
            ScheduledRun current = scheduled.get(action.name());
            next.put(action.name(), current != null && current.action.equals(action) ? current : new ScheduledRun(action, now));
        }
        scheduled.clear();
        scheduled.putAll(next);
    }

    /**
     * Runs the scheduled actions that are due: each sets its minSize, maxSize and desiredCapacity (a
     * desired capacity it does not set is moved into the new bounds). A run missed while ScheduledActions
     * was suspended, or while the clock jumped, is skipped, as in AWS.
     */
    private void schedule(Instant now) {
        for (ScheduledRun run : scheduled.values()) {
            if (run.next == null || now.isBefore(run.next)) {
                continue;
            }
            if (!suspended(ProcessType.ScheduledActions)) {
                runScheduled(run.action, now);
            }
            Instant following = run.following(run.next);
            run.next = following != null && following.isBefore(now) ? run.following(now) : following;
        }
    }

    private void runScheduled(ScheduledAction action, Instant now) {
        int min = action.minSize() != null ? action.minSize() : spec.minSize();
        int max = action.maxSize() != null ? action.maxSize() : spec.maxSize();
        if (min > max) {
            LOG.warn("Auto scaling group {}: scheduled action {} skipped: minSize {} would exceed maxSize {}", name,
                    action.name(), min, max);
            return;
        }
        int desired = action.desiredCapacity() != null ? action.desiredCapacity() : spec.desiredCapacity();
        desired = Math.max(min, Math.min(max, desired));
        LOG.info("Auto scaling group {}: scheduled action {} sets min {}, max {}, desired {}", name, action.name(), min,
                max, desired);
        if (desired != spec.desiredCapacity()) {
            desiredCause = "At " + format(now) + " a scheduled action update of AutoScalingGroup constraints to min: "
                    + min + ", max: " + max + ", desired: " + desired + " changing the desired capacity from "
                    + spec.desiredCapacity() + " to " + desired + ".";
        }
        spec = spec.withCapacity(min, max, desired);
    }

    /** Keeps each policy's state across a reload when the policy is unchanged. */
    private void updatePolicies(AutoScalingGroup group) {
        Map<String, TargetTracking> next = new LinkedHashMap<>();
        Map<String, AlarmScaling> nextAlarmed = new LinkedHashMap<>();
        for (ScalingPolicy policy : group.policies()) {
            if (policy.type() == ScalingPolicyType.TargetTrackingScaling && policy.targetTracking() != null) {
                TargetTracking current = policies.get(policy.name());
                next.put(policy.name(), current != null && current.policy().equals(policy) ? current
                        : new TargetTracking(name, policy, new UUID(random.nextLong(), random.nextLong())));
            } else if (policy.type() != null && policy.type() != ScalingPolicyType.TargetTrackingScaling
                    && policy.alarm() != null) {
                AlarmScaling current = alarmPolicies.get(policy.name());
                nextAlarmed.put(policy.name(), current != null && current.policy().equals(policy) ? current
                        : new AlarmScaling(name, policy));
            }
        }
        policies.clear();
        policies.putAll(next);
        alarmPolicies.clear();
        alarmPolicies.putAll(nextAlarmed);
    }

    /**
     * Every policy interval: each policy reads its metric and may change the desired capacity. Target
     * tracking first: scale-out wins over scale-in; scale-in needs every target tracking policy that may
     * scale in to agree, as in AWS. Then step and simple policies, when target tracking changed nothing:
     * the largest scale-out, else the smallest scale-in.
     */
    private void policies(Instant now) {
        if ((policies.isEmpty() && alarmPolicies.isEmpty()) || now.isBefore(nextPolicyEvaluation)
                || suspended(ProcessType.AlarmNotification)) {
            return;
        }
        Instant previousEvaluation = lastPolicyEvaluation;
        lastPolicyEvaluation = now;
        nextPolicyEvaluation = now.plus(settings.policyInterval());
        int warmed = 0;
        boolean warming = !launching.isEmpty();
        List<Member> warmedMembers = new ArrayList<>();
        for (Member member : members.values()) {
            if (member.state == LifecycleState.PENDING) {
                warming = true;
            } else if (member.state == LifecycleState.IN_SERVICE) {
                if (now.isBefore(member.inServiceAt.plus(spec.defaultInstanceWarmup()))) {
                    warming = true;
                } else {
                    warmed++;
                    warmedMembers.add(member);
                }
            }
        }
        long requests = 0;
        ResponseTimeTotals responses = ResponseTimeTotals.NONE;
        for (String group : spec.targetGroupNames()) {
            requests += registry.requestCount(group);
            responses = responses.plus(registry.responseTime(group));
        }
        double cpu = usesCpu() ? cpuUtilization(now, warmedMembers) : Double.NaN;
        double requestsPerTarget = requestsPerTarget(now, previousEvaluation, requests, warmed);
        double responseTime = responseTime(now, previousEvaluation, responses, warmed);
        int desired = spec.desiredCapacity();
        TargetTracking out = null;
        int outTo = desired;
        TargetTracking in = null;
        int inTo = desired;
        boolean allScaleIn = true;
        for (TargetTracking policy : policies.values()) {
            OptionalInt wanted = switch (policy.policy().targetTracking().predefinedMetric()) {
                case ASGAverageCPUUtilization -> policy.evaluateMetric(now, cpu, warmed, warming, desired,
                        spec.minSize(), spec.maxSize(), spec.scaleInStabilization());
                case ALBTargetResponseTime -> policy.evaluateMetric(now, responseTime, warmed, warming, desired,
                        spec.minSize(), spec.maxSize(), spec.scaleInStabilization());
                case ALBRequestCountPerTarget -> policy.evaluate(now, requests, warmed, warming, desired,
                        spec.minSize(), spec.maxSize(), spec.scaleInStabilization());
            };
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
        boolean busy = warming || activities.values().stream().anyMatch(a -> a.status() == ActivityStatus.IN_PROGRESS);
        AlarmScaling alarmedOut = null;
        AlarmScaling alarmedIn = null;
        int alarmedOutTo = desired;
        int alarmedInTo = desired;
        for (AlarmScaling policy : alarmPolicies.values()) {
            double metric = switch (policy.policy().alarm().metric()) {
                case ASGAverageCPUUtilization -> cpu;
                case ALBTargetResponseTime -> responseTime;
                case ALBRequestCountPerTarget -> requestsPerTarget;
            };
            Duration cooldown = policy.policy().cooldown() != null ? policy.policy().cooldown() : spec.defaultCooldown();
            boolean coolingDown = !lastActivityEnd.equals(Instant.MIN) && now.isBefore(lastActivityEnd.plus(cooldown));
            OptionalInt wanted = policy.evaluate(metric, desired, spec.minSize(), spec.maxSize(), busy, coolingDown);
            if (wanted.isPresent() && wanted.getAsInt() > alarmedOutTo) {
                alarmedOut = policy;
                alarmedOutTo = wanted.getAsInt();
            } else if (wanted.isPresent() && wanted.getAsInt() < desired && (alarmedIn == null || wanted.getAsInt() > alarmedInTo)) {
                alarmedIn = policy;
                alarmedInTo = wanted.getAsInt();
            }
        }
        if (out != null) {
            changeDesired(now, out.policy().name(), out.highAlarm(), out.lastMetric(), outTo);
        } else if (in != null && allScaleIn) {
            changeDesired(now, in.policy().name(), in.lowAlarm(), in.lastMetric(), inTo);
        } else if (alarmedOut != null) {
            changeDesired(now, alarmedOut.policy().name(), alarmedOut.alarmName(), alarmedOut.lastMetric(), alarmedOutTo);
        } else if (alarmedIn != null) {
            changeDesired(now, alarmedIn.policy().name(), alarmedIn.alarmName(), alarmedIn.lastMetric(), alarmedInTo);
        }
    }

    private boolean usesCpu() {
        return policies.values().stream().anyMatch(p -> p.policy().targetTracking().predefinedMetric()
                == PredefinedMetric.ASGAverageCPUUtilization)
                || alarmPolicies.values().stream().anyMatch(p -> p.policy().alarm().metric()
                == PredefinedMetric.ASGAverageCPUUtilization);
    }

    /** Requests per minute per warmed-up InService instance since the last evaluation; NaN without a datapoint. */
    private double requestsPerTarget(Instant now, Instant previous, long requests, int warmed) {
        long previousCount = lastRequestCount;
        lastRequestCount = requests;
        if (previous == null || !now.isAfter(previous) || warmed == 0) {
            return Double.NaN;
        }
        long delta = requests >= previousCount ? requests - previousCount : requests;
        return delta * 60_000.0 / Duration.between(previous, now).toMillis() / warmed;
    }

    /**
     * ALBTargetResponseTime: the average response time, in seconds, of the target responses the group's
     * target groups received since the last evaluation, as CloudWatch's TargetResponseTime (Average) is
     * over a period. NaN (no datapoint: the policies do nothing) when no response arrived in the window,
     * on the first evaluation, or without a warmed-up instance.
     */
    private double responseTime(Instant now, Instant previous, ResponseTimeTotals totals, int warmed) {
        ResponseTimeTotals before = lastResponseTimes;
        lastResponseTimes = totals;
        if (previous == null || !now.isAfter(previous) || warmed == 0) {
            return Double.NaN;
        }
        long count = totals.count() - before.count();
        long sumNanos = totals.sumNanos() - before.sumNanos();
        if (count < 0 || sumNanos < 0) {
            // a target group was removed and added back: its counters start from zero
            count = totals.count();
            sumNanos = totals.sumNanos();
        }
        return count <= 0 ? Double.NaN : sumNanos / 1e9 / count;
    }

    /**
     * ASGAverageCPUUtilization: for each warmed-up InService instance, the CPU time its process tree used
     * since the last evaluation over the time passed and the machine's cores, in percent; averaged.
     * Every instance is sampled so one that finishes warming up has a baseline.
     */
    private double cpuUtilization(Instant now, List<Member> warmedMembers) {
        Map<String, double[]> samples = new HashMap<>();
        for (Member member : members.values()) {
            if (member.state == LifecycleState.IN_SERVICE) {
                cpuMeter.cpuSeconds(member.instance).ifPresent(seconds -> samples.put(member.instance.id(),
                        new double[] {now.toEpochMilli() / 1000.0, seconds}));
            }
        }
        double sum = 0;
        int count = 0;
        for (Member member : warmedMembers) {
            double[] before = cpuSamples.get(member.instance.id());
            double[] after = samples.get(member.instance.id());
            if (before != null && after != null && after[0] > before[0]) {
                double used = Math.max(0, after[1] - before[1]);
                sum += used / (after[0] - before[0]) / Math.max(1, cpuMeter.cores()) * 100;
                count++;
            }
        }
        cpuSamples.clear();
        cpuSamples.putAll(samples);
        return count == 0 ? Double.NaN : sum / count;
    }

    private void changeDesired(Instant now, String policy, String alarm, double metric, int desired) {
        LOG.info("Auto scaling group {}: policy {} (metric {}) changes the desired capacity from {} to {}", name, policy,
                Math.round(metric * 100) / 100.0, spec.desiredCapacity(), desired);
        desiredCause = "At " + format(now) + " a monitor alarm " + alarm + " in state ALARM triggered policy "
                + policy + " changing the desired capacity from " + spec.desiredCapacity() + " to " + desired + ".";
        spec = spec.withCapacity(spec.minSize(), spec.maxSize(), desired);
    }

    private void capacity(Instant now) {
        int live = launching.size();
        boolean allInService = launching.isEmpty();
        for (Member member : members.values()) {
            live += member.live() ? 1 : 0;
            allInService &= !member.live() || member.state == LifecycleState.IN_SERVICE;
        }
        int desired = spec.desiredCapacity();
        // a rebalancing launch holds one more than desired until it is in service; then one goes from the fullest zone
        int wanted = desired + (rebalanceLaunching ? 1 : 0);
        if (live < wanted && !now.isBefore(nextLaunchAt) && !suspended(ProcessType.Launch)) {
            // after failures, one probe launch at a time: a broken template must not fail N times per back-off
            int count = consecutiveFailures == 0 ? wanted - live : launching.isEmpty() ? 1 : 0;
            for (int i = 0; i < count; i++) {
                launch(now, live, desired, false);
            }
        } else if (live > wanted && !suspended(ProcessType.Terminate)) {
            Map<String, Member> candidates = new LinkedHashMap<>();
            for (Member member : members.values()) {
                if (member.live()) {
                    candidates.put(member.instance.id(), member);
                }
            }
            int excess = Math.min(live - wanted, candidates.size());
            for (int i = 0; i < excess; i++) {
                List<InstanceDescription> views = candidates.values().stream().map(this::description).toList();
                InstanceDescription pick = TerminationSelector.choose(views, spec.zones(), spec.terminationPolicies(),
                        template.name()).orElse(null);
                if (pick == null) {
                    break; // the rest are protected from scale-in
                }
                Member chosen = candidates.remove(pick.instanceId());
                String cause = prefix() + "At " + format(now) + " an instance was taken out of service in response"
                        + " to a difference between desired and actual capacity, shrinking the capacity from " + live
                        + " to " + desired + ".  At " + format(now) + " instance " + chosen.instance.id()
                        + " was selected for termination.";
                if (rebalanceTerminating) {
                    cause = "At " + format(now) + " instances were launched to balance instances in zones "
                            + String.join(" ", spec.zones()) + " with other zones resulting in more than desired"
                            + " number of instances in the group.  " + cause;
                    rebalanceTerminating = false;
                }
                terminate(chosen, Reason.SCALE_IN, cause);
            }
        } else if (live == desired && allInService && !rebalanceLaunching && !suspended(ProcessType.AZRebalance)
                && !suspended(ProcessType.Launch) && !suspended(ProcessType.Terminate) && consecutiveFailures == 0
                && owedReplacements.isEmpty() && imbalanced()) {
            rebalanceLaunching = true;
            launch(now, live, desired, true);
        }
        if (live >= desired) {
            owedReplacements.clear(); // a scale-in since made them moot
        }
        rebalanceTerminating &= live > desired;
        desiredCause = null;
    }

    /**
     * True when a rebalancing would help: the fullest zone that has an instance scale-in may pick holds
     * two more than the emptiest, or such an instance is in a zone the group no longer has. Protected
     * instances are never moved, so they cannot cause a launch-and-terminate loop.
     */
    private boolean imbalanced() {
        Map<String, Integer> perZone = new LinkedHashMap<>();
        spec.zones().forEach(zone -> perZone.put(zone, 0));
        Set<String> movable = new java.util.HashSet<>();
        for (Member member : members.values()) {
            if (member.live()) {
                if (!perZone.containsKey(member.instance.zone()) && !member.protectedFromScaleIn) {
                    return true;
                }
                perZone.computeIfPresent(member.instance.zone(), (zone, n) -> n + 1);
                if (!member.protectedFromScaleIn) {
                    movable.add(member.instance.zone());
                }
            }
        }
        int fewest = perZone.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        int most = movable.stream().filter(perZone::containsKey).mapToInt(perZone::get).max().orElse(0);
        return most - fewest > 1;
    }

    private void launch(Instant now, int live, int desired, boolean rebalance) {
        String zone = leastUsedZone();
        Boolean owed = rebalance ? null : owedReplacements.poll();
        String cause = rebalance
                ? "At " + format(now) + " an instance was launched to aid in balancing the group's zones."
                : owed != null
                ? "At " + format(now) + " an instance was launched in response to an unhealthy instance needing to be replaced."
                : prefix() + "At " + format(now) + " an instance was started in response to a difference between desired"
                        + " and actual capacity, increasing the capacity from " + live + " to " + desired + ".";
        ScalingActivity activity = new ScalingActivity(newActivityId(), name, "Launching a new EC2 instance", cause,
                now, null, ActivityStatus.IN_PROGRESS, null);
        record(activity);
        Launching launch = new Launching(zone, activity.activityId(), Boolean.TRUE.equals(owed), rebalance);
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
            rebalanceLaunching &= !launch.rebalance;
            refreshFailure("An instance failed to launch: " + cause.getMessage());
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
        member.rebalance = launch.rebalance;
        member.protectedFromScaleIn = spec.newInstancesProtectedFromScaleIn();
        member.fromRefresh = activeRefresh() != null;
        members.put(instance.id(), member);
        describe(launch.activityId, "Launching a new EC2 instance: " + instance.id());
        LOG.info("Auto scaling group {}: launched instance {} on port {} in {} (template {} version {})", name,
                instance.id(), instance.port(), instance.zone(), instance.templateName(), instance.templateVersion());
        watch(member);
        if (stopped != null) {
            if (keepOnStop) {
                keep(member);
                checkStopped();
            } else {
                terminate(member, Reason.USER, null);
            }
            return;
        }
        register(member);
        tick();
    }

    /** AWS's ELB registration happens at launch; health decides when the instance is in service. */
    private void register(Member member) {
        if (suspended(ProcessType.AddToLoadBalancer)) {
            return;
        }
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
        if (member.rebalance) {
            member.rebalance = false;
            rebalanceLaunching = false;
            rebalanceTerminating = true;
        }
        if (member.launchActivity != null) {
            finish(member.launchActivity, now, ActivityStatus.SUCCESSFUL, null);
            member.launchActivity = null;
        }
        LOG.info("Auto scaling group {}: instance {} is InService", name, member.instance.id());
    }

    /** A death Fulcrum did not ask for: EC2's health check sees it at once, and it is replaced at once. */
    private void exited(Member member, ExitInfo info) {
        if (members.get(member.instance.id()) != member) {
            return; // left running at shutdown (keepInstancesOnExit): no longer this run's to replace
        }
        boolean standby = member.state == LifecycleState.STANDBY || member.state == LifecycleState.ENTERING_STANDBY;
        if (!member.live() && !standby) {
            return; // its termination is under way
        }
        if (member.rebalance) {
            member.rebalance = false;
            rebalanceLaunching = false;
        }
        member.healthy = false;
        LOG.warn("Auto scaling group {}: instance {} ended by itself ({}{})", name, member.instance.id(),
                info == null ? "unknown" : info.reason(),
                info == null || info.exitCode().isEmpty() ? "" : ", exit code " + info.exitCode().getAsInt());
        if (stopped == null && !standby) {
            owedReplacements.add(false); // a Standby instance is outside the capacity: nothing to replace
        }
        if (member.fromRefresh && !standby) {
            refreshFailure("Instance " + member.instance.id() + " failed its EC2 health check: it ended.");
        }
        terminate(member, Reason.EC2_HEALTH, null);
        tick();
    }

    /** Deregisters and drains the instance in every target group, then stops it; returns the activity's id. */
    private String terminate(Member member, Reason reason, String givenCause) {
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
            case SCALE_IN, USER_REQUEST, REFRESH -> givenCause;
            case EC2_HEALTH -> at + "an instance was taken out of service in response to an EC2 health check"
                    + " indicating it has been terminated or stopped.";
            case ELB_HEALTH -> at + "an instance was taken out of service in response to an ELB system health check failure.";
            case USER -> at + "an instance was taken out of service in response to a user request.";
        };
        ScalingActivity activity = new ScalingActivity(newActivityId(), name,
                "Terminating EC2 instance: " + member.instance.id(), cause, now, null, ActivityStatus.IN_PROGRESS, null);
        record(activity);
        List<CompletableFuture<Void>> drains = deregisterAll(member);
        CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new))
                .handle((ignored, error) -> null)
                .thenCompose(ignored -> stop(member.instance))
                .whenComplete((ignored, error) -> run(() -> terminated(member, activity.activityId(), error)));
        publish();
        return activity.activityId();
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

    /** Leaves a member running for the next run to adopt: the launcher keeps it at its close. */
    private void keep(Member member) {
        if (member.launchActivity != null) {
            finish(member.launchActivity, clock.instant(), ActivityStatus.SUCCESSFUL,
                    "Fulcrum stopped; the instance was left running for the next run to adopt.");
            member.launchActivity = null;
        }
        launcher.keepOnClose(member.instance.id());
        members.remove(member.instance.id());
        publish();
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
            lastActivityEnd = at;
            ScalingActivity done = activity.finish(at, status, message);
            activities.put(activityId, done);
            LOG.info("Auto scaling group {}: activity {}", name, done);
        }
    }

    private void publish() {
        List<InstanceDescription> list = new ArrayList<>();
        for (Member member : members.values()) {
            list.add(description(member));
        }
        list.sort(Comparator.comparing(InstanceDescription::launchTime).thenComparing(InstanceDescription::instanceId));
        instanceSnapshot = List.copyOf(list);
        descriptionSnapshot = new AutoScalingGroupDescription(name, spec.launchTemplateName(),
                spec.launchTemplateVersion(), template.version(), spec.minSize(), spec.maxSize(), spec.desiredCapacity(),
                spec.defaultCooldown(), spec.zones(), spec.targetGroupNames(), spec.healthCheckType(),
                spec.healthCheckGracePeriod(), spec.terminationPolicies(), spec.newInstancesProtectedFromScaleIn(),
                suspended, instanceSnapshot, policyStatuses());
        List<InstanceRefresh> refreshList = new ArrayList<>();
        for (Refresh refresh : refreshes.values()) {
            refreshList.add(0, snapshot(refresh));
        }
        refreshSnapshot = List.copyOf(refreshList);
        List<ScalingActivity> newestFirst = new ArrayList<>(activities.values());
        java.util.Collections.reverse(newestFirst);
        activitySnapshot = List.copyOf(newestFirst);
    }

    private List<PolicyStatus> policyStatuses() {
        List<PolicyStatus> result = new ArrayList<>();
        for (ScalingPolicy policy : spec.policies()) {
            TargetTracking tracking = policies.get(policy.name());
            AlarmScaling alarmed = alarmPolicies.get(policy.name());
            if (tracking != null) {
                result.add(new PolicyStatus(policy.name(), policy.type(), tracking.highAlarm(), tracking.lastMetric(),
                        false, lastPolicyEvaluation));
            } else if (alarmed != null) {
                result.add(new PolicyStatus(policy.name(), policy.type(), alarmed.alarmName(), alarmed.lastMetric(),
                        alarmed.inAlarm(), lastPolicyEvaluation));
            }
        }
        return result;
    }

    private InstanceDescription description(Member member) {
        Instance instance = member.instance;
        return new InstanceDescription(instance.id(), name, instance.zone(), member.state, member.healthy,
                instance.port(), instance.launchTime(), instance.templateName(), instance.templateVersion(),
                instance.adopted(), member.protectedFromScaleIn);
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
