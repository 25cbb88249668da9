package io.fulcrum.model;

import java.util.List;

/**
 * A protocol and port with ordered rules and a default action.
 *
 * @param bindAddress the local address to listen on (default 0.0.0.0)
 * @param maxConnections client connections beyond this pause accepting until one closes
 * @param sslPolicy HTTPS only: the security policy by AWS's name (default {@value #DEFAULT_SSL_POLICY});
 *     null on other protocols
 * @param certificates HTTPS only: the first is the default certificate (served without SNI or when no
 *     other certificate's names match); the others are chosen by SNI
 */
public record Listener(Protocol protocol, int port, String bindAddress, List<Rule> rules,
                       List<Action> defaultActions, int maxConnections, String sslPolicy,
                       List<ListenerCertificate> certificates) {
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    /** With a target connection each, this fits an open-file limit of 20 000 with room for targets and checks. */
    public static final int DEFAULT_MAX_CONNECTIONS = 8_192;
    /** AWS's recommended policy (TLS 1.3 and 1.2), the console's default for years. */
    public static final String DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

    public Listener {
        rules = Lists.copy(rules);
        defaultActions = Lists.copy(defaultActions);
        certificates = Lists.copy(certificates);
        if (bindAddress == null) {
            bindAddress = DEFAULT_BIND_ADDRESS;
        }
        if (sslPolicy == null && protocol == Protocol.HTTPS) {
            sslPolicy = DEFAULT_SSL_POLICY;
        }
    }

    /** A listener without TLS settings (HTTP, or HTTPS with the default policy and no certificate yet). */
    public Listener(Protocol protocol, int port, String bindAddress, List<Rule> rules, List<Action> defaultActions,
                    int maxConnections) {
        this(protocol, port, bindAddress, rules, defaultActions, maxConnections, null, List.of());
    }
}
