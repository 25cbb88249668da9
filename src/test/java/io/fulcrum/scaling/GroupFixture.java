package io.fulcrum.scaling;

import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.HealthCheckType;
import io.fulcrum.model.LaunchTemplate;
import io.fulcrum.scaling.launcher.Instances;
import io.fulcrum.scaling.launcher.LocalProcessLauncher;
import io.fulcrum.server.ServerTargetRegistry;
import io.fulcrum.testing.RunningFulcrum;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A load balancer on loopback forwarding to the instance target group "web", and an auto scaling
 * group "web-asg" of real demo backends registered in it. Closing stops everything and kills any
 * process the test left.
 */
final class GroupFixture implements AutoCloseable {
    /** Quick checks so a new instance is healthy within a few hundred milliseconds. */
    static final String FAST_CHECKS = "{path: /health, interval: 200ms, timeout: 150ms, healthyThreshold: 2, unhealthyThreshold: 2}";
    static final AutoScalingSettings SETTINGS = new AutoScalingSettings(Duration.ofMillis(50),
            Duration.ofMillis(200), Duration.ofSeconds(2), 100);

    final Path dataDirectory;
    final RunningFulcrum fulcrum;
    final LocalProcessLauncher launcher;
    final AutoScalingGroupController group;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private GroupFixture(Path dataDirectory, RunningFulcrum fulcrum, LocalProcessLauncher launcher,
                         AutoScalingGroupController group) {
        this.dataDirectory = dataDirectory;
        this.fulcrum = fulcrum;
        this.launcher = launcher;
        this.group = group;
    }

    static AutoScalingGroup spec(int min, int max, int desired, HealthCheckType type, Duration grace) {
        return new AutoScalingGroup("web-asg", "demo", min, max, desired, List.of("zone-a", "zone-b"),
                List.of("web"), type, grace);
    }

    static GroupFixture start(Path dataDirectory, AutoScalingGroup spec, String groupAttributes) throws Exception {
        return start(dataDirectory, spec, Instances.demoBackend("--zone", "${ZONE}"), groupAttributes, Clock.systemUTC(),
                SETTINGS);
    }

    static GroupFixture start(Path dataDirectory, AutoScalingGroup spec, LaunchTemplate template, String groupAttributes,
                              Clock clock, AutoScalingSettings settings) throws Exception {
        RunningFulcrum fulcrum = RunningFulcrum.start("""
                loadBalancers:
                  - name: web
                    listeners:
                      - port: %d
                        bindAddress: 127.0.0.1
                        defaultActions: [{type: forward, targetGroupName: web}]
                targetGroups:
                  - name: web
                    targetType: instance
                    healthCheck: %s
                    attributes: %s
                """.formatted(RunningFulcrum.freePort(), FAST_CHECKS, groupAttributes));
        LocalProcessLauncher launcher = Instances.launcher(dataDirectory).random(new Random()).build();
        AutoScalingGroupController group = new AutoScalingGroupController(spec, template, launcher,
                new ServerTargetRegistry(fulcrum.server()), clock, new Random(7), settings);
        group.start();
        return new GroupFixture(dataDirectory, fulcrum, launcher, group);
    }

    List<InstanceDescription> inService() {
        return group.instances().stream().filter(i -> i.lifecycleState() == LifecycleState.IN_SERVICE).toList();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fulcrum.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> direct(InstanceDescription instance, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    long pid(InstanceDescription instance) {
        return launcher.describe(instance.instanceId()).orElseThrow().pid();
    }

    @Override
    public void close() throws Exception {
        try {
            group.shutdown().get(60, TimeUnit.SECONDS);
        } finally {
            try {
                fulcrum.close();
                launcher.close();
            } finally {
                Instances.killAll(dataDirectory);
            }
        }
    }
}
