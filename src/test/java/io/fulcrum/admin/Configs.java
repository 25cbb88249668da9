package io.fulcrum.admin;

import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestConfigs;

/** The config the admin tests start from: load balancer "lb" (one listener, one rule), groups web, api and spare. */
final class Configs {
    private Configs() {
    }

    static String base() throws Exception {
        return base(RunningFulcrum.freePort());
    }

    static String base(int port) {
        return """
                loadBalancers:
                  - name: lb
                    listeners:
                      - port: %d
                        bindAddress: 127.0.0.1
                        rules:
                          - priority: 10
                            conditions: [{field: path-pattern, values: ["/a/*"]}]
                            actions: [{type: forward, targetGroupName: api}]
                        defaultActions: [{type: forward, targetGroupName: web}]
                targetGroups:
                  - name: web
                    port: 8080
                    healthCheck: %s
                  - name: api
                    port: 8080
                    healthCheck: %s
                  - name: spare
                    port: 8080
                """.formatted(port, TestConfigs.FAST_CHECKS, TestConfigs.CHECKS_OFF);
    }
}
