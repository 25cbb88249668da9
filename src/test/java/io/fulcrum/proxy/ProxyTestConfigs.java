package io.fulcrum.proxy;

import static org.awaitility.Awaitility.await;

import io.fulcrum.health.TargetState;
import io.fulcrum.testing.RunningFulcrum;
import java.time.Duration;
import java.util.List;

/** YAML for one load balancer with one listener forwarding to one target group "web", and waits on it, for proxy tests. */
final class ProxyTestConfigs {
    /** Health checks off: targets are healthy at once, and no probe reaches a scripted backend. */
    static final String CHECKS_OFF = "{enabled: false, interval: 300s}";

    private ProxyTestConfigs() {
    }

    /**
     * @param listenerPort the listener's port
     * @param lbAttributes the load balancer's attributes as a YAML flow map, e.g. "{idleTimeout: 500ms}"
     * @param targets "host:port" of each target
     * @param healthCheck the group's health check as a YAML flow map
     * @param groupAttributes the group's attributes as a YAML flow map
     */
    static String config(int listenerPort, String lbAttributes, List<String> targets, String healthCheck,
                         String groupAttributes) {
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < targets.size(); i++) {
            list.append(i == 0 ? "" : ", ").append('"').append(targets.get(i)).append('"');
        }
        list.append(']');
        return """
                loadBalancers:
                  - name: web
                    attributes: %s
                    listeners:
                      - port: %d
                        bindAddress: 127.0.0.1
                        defaultActions: [{type: forward, targetGroupName: web}]
                targetGroups:
                  - name: web
                    targets: %s
                    healthCheck: %s
                    attributes: %s
                """.formatted(lbAttributes, listenerPort, list, healthCheck, groupAttributes);
    }

    /** Default load balancer attributes, checks off, the given group attributes. */
    static String config(int listenerPort, List<String> targets, String groupAttributes) {
        return config(listenerPort, "{}", targets, CHECKS_OFF, groupAttributes);
    }

    /**
     * Waits until every target of "web" is healthy. With {@link #CHECKS_OFF} the checker makes targets
     * healthy at once but asynchronously; until then a group can route to a subset of its targets.
     */
    static void awaitAllHealthy(RunningFulcrum fulcrum) {
        await().atMost(Duration.ofSeconds(10)).until(() -> fulcrum.server().targetGroup("web").targets().stream()
                .allMatch(t -> t.health().state() == TargetState.HEALTHY));
    }
}
