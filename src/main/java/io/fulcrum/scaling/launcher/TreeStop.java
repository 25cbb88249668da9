package io.fulcrum.scaling.launcher;

import io.fulcrum.model.LaunchTemplate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stops everything of one instance: SIGTERM to each of its processes, SIGKILL to those left when the
 * grace period runs out, then waits until none is left. Its processes are found afresh on every poll
 * (so children forked meanwhile are caught), as its {@link Scope} says. Runs on the launcher's thread.
 */
final class TreeStop {
    /** Which processes count as the instance's. */
    enum Scope {
        /**
         * The main process (seen alive moments ago), its descendants, the members of the process group
         * and session it leads, and every process carrying the marker. The group and session ids can be
         * trusted because the kernel does not reuse a pid while a group or session of that id has a member.
         */
        TREE_AND_MARKER,
        /**
         * Only processes carrying the marker: after a gap (a restart) the pid, group and session ids may
         * all belong to strangers now.
         */
        MARKER,
        /**
         * The tree without the marker: for the remains of a failed first launch while its relaunch,
         * which carries the same marker, is starting.
         */
        TREE
    }

    static final Duration POLL = Duration.ofMillis(50);

    private final ScheduledExecutorService executor;
    private final String instanceId;
    private final long root;
    private final long rootStartTicks;
    private final Scope scope;
    private final Duration grace;
    private final long self = ProcessHandle.current().pid();
    private final Set<Long> signalled = new HashSet<>();
    private final CompletableFuture<Boolean> done = new CompletableFuture<>();
    private boolean killing;
    private ScheduledFuture<?> poll;
    private ScheduledFuture<?> deadline;

    TreeStop(ScheduledExecutorService executor, String instanceId, long root, long rootStartTicks,
             Scope scope, Duration grace) {
        this.executor = executor;
        this.instanceId = instanceId;
        this.root = root;
        this.rootStartTicks = rootStartTicks;
        this.scope = scope;
        this.grace = grace;
    }

    /** Starts; the future completes once nothing is left, with true when SIGKILL had to be sent. */
    CompletableFuture<Boolean> start() {
        executor.execute(() -> {
            step();
            if (!done.isDone()) {
                deadline = executor.schedule(this::expire, grace.toNanos(), TimeUnit.NANOSECONDS);
                poll = executor.scheduleWithFixedDelay(this::step, POLL.toNanos(), POLL.toNanos(), TimeUnit.NANOSECONDS);
            }
        });
        return done;
    }

    private void expire() {
        killing = true;
        step();
    }

    private void step() {
        if (done.isDone()) {
            return;
        }
        try {
            Set<Long> members = members();
            if (members.isEmpty()) {
                finish();
                return;
            }
            for (long pid : members) {
                if (killing) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    signalled.add(pid);
                } else if (signalled.add(pid)) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
                }
            }
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            cancel();
        }
    }

    private void finish() {
        cancel();
        done.complete(killing);
    }

    private void cancel() {
        if (poll != null) {
            poll.cancel(false);
        }
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    /** The running processes of this instance now; never Fulcrum itself. */
    Set<Long> members() {
        List<Long> pids = ProcFs.pids();
        Map<Long, ProcFs.Stat> stats = new HashMap<>();
        for (long pid : pids) {
            ProcFs.stat(pid).filter(ProcFs.Stat::running).ifPresent(s -> stats.put(pid, s));
        }
        Set<Long> members = new HashSet<>();
        ProcFs.Stat rootStat = stats.get(root);
        boolean tree = scope != Scope.MARKER;
        boolean marker = scope != Scope.TREE;
        // after a restart a matching pid and start time alone prove nothing: only the marker does
        boolean rootAlive = tree && rootStat != null && rootStat.startTicks() == rootStartTicks;
        for (ProcFs.Stat stat : stats.values()) {
            long pid = stat.pid();
            if (pid == self) {
                continue;
            }
            boolean inGroup = tree && (stat.pgrp() == root || stat.session() == root);
            if ((pid == root && rootAlive) || inGroup
                    || (marker && ProcFs.hasVariable(pid, LaunchTemplate.MARKER_VARIABLE, instanceId))) {
                members.add(pid);
            }
        }
        if (rootAlive) {
            // descendants that moved to a group of their own but kept their parent link
            Map<Long, List<Long>> children = new HashMap<>();
            for (ProcFs.Stat stat : stats.values()) {
                children.computeIfAbsent(stat.ppid(), k -> new java.util.ArrayList<>()).add(stat.pid());
            }
            Set<Long> seen = new HashSet<>(List.of(root));
            ArrayDeque<Long> queue = new ArrayDeque<>(List.of(root));
            while (!queue.isEmpty()) {
                for (long child : children.getOrDefault(queue.poll(), List.of())) {
                    if (child != self && seen.add(child)) {
                        members.add(child);
                        queue.add(child);
                    }
                }
            }
        }
        return members;
    }
}
