package io.fulcrum.endtoend;

import io.fulcrum.proxy.LiveTarget;
import io.fulcrum.testing.RunningFulcrum;

/** Config text and lookups shared by the target group tests. */
final class Groups {
    /** Fast checks: a stopped target is unhealthy after 2 × 200 ms, a new one healthy after 2 probes. */
    static final String FAST_CHECKS =
            "{path: /health, interval: 200ms, timeout: 150ms, healthyThreshold: 2, unhealthyThreshold: 2}";

    private Groups() {
    }

    /**
     * One listener on 127.0.0.1:{@code port} forwarding to target group "web".
     *
     * @param targets YAML list items of the targets, each a line like {@code "127.0.0.1:9001"}
     * @param attributes the group's attributes as a YAML flow mapping, e.g. {@code {algorithm: round_robin}}
     */
    static String web(int port, String attributes, String... targets) {
        StringBuilder list = new StringBuilder();
        for (String target : targets) {
            list.append("      - ").append(target).append('\n');
        }
        return """
                loadBalancers:
                  - name: lb
                    listeners:
                      - port: %d
                        bindAddress: 127.0.0.1
                        defaultActions: [{type: forward, targetGroupName: web}]
                targetGroups:
                  - name: web
                    targets:
                %s    healthCheck: %s
                    attributes: %s
                """.formatted(port, list, FAST_CHECKS, attributes);
    }

    static String quoted(String address) {
        return '"' + address + '"';
    }

    /** The live target of group "web" at {@code address}, or null when it is not registered. */
    static LiveTarget target(RunningFulcrum fulcrum, String address) {
        return fulcrum.server().targetGroup("web").targets().stream()
                .filter(t -> t.key().equals(address)).findFirst().orElse(null);
    }
}
