package io.fulcrum.endtoend;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A config file for {@code fulcrum run} with a listener on 127.0.0.1 in front of the instance target
 * group "web" and the auto scaling group "web-asg" (min = max = desired = 2, ELB health) of demo backends,
 * each a small quick-starting JVM on this test's class path.
 */
final class DemoGroupConfig {
    static final String GROUP = "web-asg";

    private DemoGroupConfig() {
    }

    /** With a deregistration delay of 1 s. */
    static String yaml(int listenerPort) {
        return yaml(listenerPort, "1s");
    }

    static String yaml(int listenerPort, String deregistrationDelay) {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k",
                "-cp", System.getProperty("java.class.path"), "io.fulcrum.cli.Main",
                "demo-backend", "--port", "${PORT}", "--id", "${INSTANCE_ID}", "--zone", "${ZONE}");
        String commandYaml = command.stream().map(DemoGroupConfig::quoted)
                .map(item -> "      - " + item).collect(Collectors.joining("\n"));
        return """
                loadBalancers:
                  - name: lb
                    listeners:
                      - port: %d
                        bindAddress: 127.0.0.1
                        defaultActions: [{type: forward, targetGroupName: web}]
                targetGroups:
                  - name: web
                    targetType: instance
                    healthCheck: {path: /health, interval: 200ms, timeout: 150ms, healthyThreshold: 2, unhealthyThreshold: 2}
                    attributes: {deregistrationDelay: %s}
                launchTemplates:
                  - name: demo
                    command:
                %s
                    terminationGracePeriod: 10s
                autoScalingGroups:
                  - name: %s
                    launchTemplateName: demo
                    minSize: 2
                    maxSize: 2
                    desiredCapacity: 2
                    zones: [zone-a, zone-b]
                    targetGroupNames: [web]
                    healthCheckType: ELB
                    healthCheckGracePeriod: 60s
                """.formatted(listenerPort, deregistrationDelay, commandYaml, GROUP);
    }

    /** A YAML double-quoted scalar. */
    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
