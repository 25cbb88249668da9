package io.fulcrum.tcp;

import java.util.List;

/** YAML for a load balancer "nlb" with one TCP listener on 127.0.0.1:port forwarding to TCP group "db". */
final class TcpSetup {
    /** Health checks off: targets are healthy at once and no probe reaches a backend. */
    static final String CHECKS_OFF = "{enabled: false, interval: 300s}";
    /** Fast TCP checks: a dead target is unhealthy after 2 × 200 ms. */
    static final String FAST_TCP_CHECKS =
            "{protocol: TCP, interval: 200ms, timeout: 150ms, healthyThreshold: 2, unhealthyThreshold: 2}";

    private final int port;
    private List<String> targets = List.of();
    private String healthCheck = CHECKS_OFF;
    private String attributes = "{}";
    private String listenerExtra = "";

    private TcpSetup(int port) {
        this.port = port;
    }

    static TcpSetup listener(int port) {
        return new TcpSetup(port);
    }

    TcpSetup targets(String... addresses) {
        targets = List.of(addresses);
        return this;
    }

    TcpSetup healthCheck(String flowMap) {
        healthCheck = flowMap;
        return this;
    }

    /** Target group attributes as a YAML flow map. */
    TcpSetup attributes(String flowMap) {
        attributes = flowMap;
        return this;
    }

    /** More listener keys, as "key: value". */
    TcpSetup listenerKey(String line) {
        listenerExtra += "        " + line + "\n";
        return this;
    }

    String yaml() {
        return """
                loadBalancers:
                  - name: nlb
                    listeners:
                      - protocol: TCP
                        port: %d
                        bindAddress: 127.0.0.1
                %s        defaultActions: [{type: forward, targetGroupName: db}]
                targetGroups:
                  - name: db
                    protocol: TCP
                    targets: [%s]
                    healthCheck: %s
                    attributes: %s
                """.formatted(port, listenerExtra,
                String.join(", ", targets.stream().map(t -> '"' + t + '"').toList()), healthCheck, attributes);
    }
}
