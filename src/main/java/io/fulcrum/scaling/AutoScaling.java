package io.fulcrum.scaling;

import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.LaunchTemplate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every auto scaling group of a config: one {@link AutoScalingGroupController} each, started, updated
 * and removed as configs are applied.
 */
public final class AutoScaling implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AutoScaling.class);

    private final Launcher launcher;
    private final TargetRegistry registry;
    private final Clock clock;
    private final Random random;
    private final AutoScalingSettings settings;
    private final Map<String, AutoScalingGroupController> controllers = new LinkedHashMap<>();
    private final List<CompletableFuture<Void>> removals = new ArrayList<>();
    private Map<String, List<Instance>> adopted = new HashMap<>();
    private boolean closed;

    public AutoScaling(Launcher launcher, TargetRegistry registry, Clock clock, Random random,
                       AutoScalingSettings settings) {
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Instances a previous run launched ({@link Launcher#adoptExisting()}): the next {@link #apply}
     * hands each to its group, or terminates it when its group is no longer in the config.
     */
    public synchronized void adopt(List<Instance> instances) {
        for (Instance instance : instances) {
            adopted.computeIfAbsent(instance.group(), g -> new ArrayList<>()).add(instance);
        }
    }

    /** Starts new groups, updates changed ones and drains and terminates the instances of removed ones. */
    public synchronized void apply(FulcrumConfig config) {
        if (closed) {
            throw new IllegalStateException("auto scaling is closed");
        }
        Map<String, AutoScalingGroup> wanted = new LinkedHashMap<>();
        config.autoScalingGroups().forEach(group -> wanted.put(group.name(), group));
        for (String name : new ArrayList<>(controllers.keySet())) {
            if (!wanted.containsKey(name)) {
                LOG.info("Auto scaling group {}: removed from the config; its instances are drained and terminated", name);
                removals.add(controllers.remove(name).shutdown());
            }
        }
        for (AutoScalingGroup group : wanted.values()) {
            // validation made sure the version exists
            LaunchTemplate template = config.launchTemplate(group.launchTemplateName())
                    .resolve(group.launchTemplateVersion()).orElseThrow();
            AutoScalingGroupController controller = controllers.get(group.name());
            if (controller == null) {
                controller = new AutoScalingGroupController(group, template, launcher, registry, clock, random, settings);
                controllers.put(group.name(), controller);
                for (Instance instance : adopted.getOrDefault(group.name(), List.of())) {
                    controller.adopt(instance);
                }
                controller.start();
                LOG.info("Auto scaling group {}: started (min {}, max {}, desired {}, zones {}, health check {})",
                        group.name(), group.minSize(), group.maxSize(), group.desiredCapacity(), group.zones(),
                        group.healthCheckType());
            } else {
                controller.update(group, template);
            }
        }
        for (Map.Entry<String, List<Instance>> entry : adopted.entrySet()) {
            if (!wanted.containsKey(entry.getKey())) {
                for (Instance instance : entry.getValue()) {
                    LOG.info("Instance {} of auto scaling group {}, which is no longer configured: terminating",
                            instance.id(), entry.getKey());
                    launcher.terminate(instance.id());
                }
            }
        }
        adopted = new HashMap<>();
    }

    /** The controller of a group, if it is configured. */
    public synchronized Optional<AutoScalingGroupController> group(String name) {
        return Optional.ofNullable(controllers.get(name));
    }

    public synchronized List<AutoScalingGroupController> groups() {
        return List.copyOf(controllers.values());
    }

    /**
     * Stops every group: no more launches; every instance is deregistered, drained and terminated,
     * except those of groups with {@code keepInstancesOnExit}, which are left running (the launcher
     * keeps them at its close, recorded for the next run to adopt). The future completes when all
     * that are stopped are gone.
     */
    public synchronized CompletableFuture<Void> shutdown() {
        closed = true;
        List<CompletableFuture<Void>> all = new ArrayList<>(removals);
        for (AutoScalingGroupController controller : controllers.values()) {
            all.add(controller.shutdown(controller.currentSpec().keepInstancesOnExit()));
        }
        controllers.clear();
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** {@link #shutdown()} and waits for it. */
    @Override
    public void close() {
        shutdown().join();
    }
}
