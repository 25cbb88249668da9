package io.fulcrum.udp;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/** YAML for a load balancer "nlb" with one UDP listener on 127.0.0.1:port forwarding to UDP group "dns". */
final class UdpSetup {
    /** Health checks off: targets are healthy at once and no probe reaches a backend. */
    static final String CHECKS_OFF = "{enabled: false, interval: 300s}";

    private final int port;
    private List<String> targets = List.of();
    private String attributes = "{}";
    private String healthCheck = CHECKS_OFF;
    private String listenerExtra = "";

    private UdpSetup(int port) {
        this.port = port;
    }

    static UdpSetup listener(int port) {
        return new UdpSetup(port);
    }

    UdpSetup targets(String... addresses) {
        targets = List.of(addresses);
        return this;
    }

    UdpSetup healthCheck(String flowMap) {
        healthCheck = flowMap;
        return this;
    }

    /** Target group attributes as a YAML flow map. */
    UdpSetup attributes(String flowMap) {
        attributes = flowMap;
        return this;
    }

    /** More listener keys, as "key: value". */
    UdpSetup listenerKey(String line) {
        listenerExtra += "        " + line + "\n";
        return this;
    }

    String yaml() {
        return """
                loadBalancers:
                  - name: nlb
                    listeners:
                      - protocol: UDP
                        port: %d
                        bindAddress: 127.0.0.1
                %s        defaultActions: [{type: forward, targetGroupName: dns}]
                targetGroups:
                  - name: dns
                    protocol: UDP
                    targets: [%s]
                    healthCheck: %s
                    attributes: %s
                """.formatted(port, listenerExtra,
                String.join(", ", targets.stream().map(t -> '"' + t + '"').toList()), healthCheck, attributes);
    }

    /** A free loopback UDP port (bound and released; fine for tests that then bind it). */
    static int freePort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return socket.getLocalPort();
        }
    }
}
