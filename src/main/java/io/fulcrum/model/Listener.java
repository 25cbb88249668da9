package io.fulcrum.model;

import java.time.Duration;
import java.util.List;

/**
 * A protocol and port with ordered rules and a default action.
 *
 * @param bindAddress the local address to listen on (default 0.0.0.0)
 * @param maxConnections client connections beyond this pause accepting until one closes; on a UDP
 *                       listener, the most client flows at once (datagrams of further flows are dropped)
 * @param idleTimeout TCP and TLS listeners: a connection with no byte either way for this long is closed
 *                    (NLB's {@code tcp.idle_timeout.seconds}); UDP listeners: a flow with no datagram
 *                    either way for this long ends; null on HTTP listeners, which use the load
 *                    balancer's idleTimeout
 * @param sslPolicy HTTPS and TLS only: the security policy by AWS's name (default
 *     {@value #DEFAULT_SSL_POLICY}); null on other protocols
 * @param certificates HTTPS and TLS only: the first is the default certificate (served without SNI or
 *     when no other certificate's names match); the others are chosen by SNI
 */
public record Listener(Protocol protocol, int port, String bindAddress, List<Rule> rules,
                       List<Action> defaultActions, int maxConnections, Duration idleTimeout, String sslPolicy,
                       List<ListenerCertificate> certificates) {
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    /** With a target connection each, this fits an open-file limit of 20 000 with room for targets and checks. */
    public static final int DEFAULT_MAX_CONNECTIONS = 8_192;
    /** NLB's TCP idle timeout: long enough for database and other long-lived connections. */
    public static final Duration DEFAULT_TCP_IDLE_TIMEOUT = Duration.ofSeconds(350);
    /** NLB's UDP idle timeout: a flow (client address and port) with no datagram for this long ends. */
    public static final Duration DEFAULT_UDP_IDLE_TIMEOUT = Duration.ofSeconds(120);
    /** NLB accepts 60-6000 s; shorter ones are allowed here for tests and for users who want them. */
    public static final Duration MIN_TCP_IDLE_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration MAX_TCP_IDLE_TIMEOUT = Duration.ofSeconds(6000);
    /** AWS's recommended policy (TLS 1.3 and 1.2), the console's default for years. */
    public static final String DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

    public Listener {
        rules = Lists.copy(rules);
        defaultActions = Lists.copy(defaultActions);
        certificates = Lists.copy(certificates);
        if (bindAddress == null) {
            bindAddress = DEFAULT_BIND_ADDRESS;
        }
        if (idleTimeout == null && (protocol == Protocol.TCP || protocol == Protocol.TLS)) {
            idleTimeout = DEFAULT_TCP_IDLE_TIMEOUT;
        } else if (idleTimeout == null && protocol == Protocol.UDP) {
            idleTimeout = DEFAULT_UDP_IDLE_TIMEOUT;
        }
        if (sslPolicy == null && (protocol == Protocol.HTTPS || protocol == Protocol.TLS)) {
            sslPolicy = DEFAULT_SSL_POLICY;
        }
    }

    /** A listener with the default idle timeout of its protocol and no TLS settings. */
    public Listener(Protocol protocol, int port, String bindAddress, List<Rule> rules,
                    List<Action> defaultActions, int maxConnections) {
        this(protocol, port, bindAddress, rules, defaultActions, maxConnections, null, null, List.of());
    }

    /** A listener without TLS settings. */
    public Listener(Protocol protocol, int port, String bindAddress, List<Rule> rules,
                    List<Action> defaultActions, int maxConnections, Duration idleTimeout) {
        this(protocol, port, bindAddress, rules, defaultActions, maxConnections, idleTimeout, null, List.of());
    }

    /** A listener with its protocol's default idle timeout. */
    public Listener(Protocol protocol, int port, String bindAddress, List<Rule> rules, List<Action> defaultActions,
                    int maxConnections, String sslPolicy, List<ListenerCertificate> certificates) {
        this(protocol, port, bindAddress, rules, defaultActions, maxConnections, null, sslPolicy, certificates);
    }

    /** "address:port", an IPv6 address in brackets: the name the server gives this listener in maps, metrics and logs. */
    public String addressKey() {
        return (bindAddress.indexOf(':') >= 0 ? "[" + bindAddress + "]" : bindAddress) + ":" + port;
    }

    /** The target group of the first forward default action (a TCP, TLS or UDP listener has one), or null. */
    public String defaultTargetGroupName() {
        for (Action action : defaultActions) {
            if (action instanceof ForwardAction forward && !forward.targetGroups().isEmpty()) {
                return forward.targetGroups().get(0).targetGroupName();
            }
        }
        return null;
    }
}
