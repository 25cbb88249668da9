package io.fulcrum.model;

import java.util.List;

/**
 * A protocol and port with ordered rules and a default action.
 *
 * @param bindAddress the local address to listen on (default 0.0.0.0)
 * @param maxConnections client connections beyond this pause accepting until one closes
 */
public record Listener(Protocol protocol, int port, String bindAddress, List<Rule> rules,
                       List<Action> defaultActions, int maxConnections) {
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    /** With a target connection each, this fits an open-file limit of 20 000 with room for targets and checks. */
    public static final int DEFAULT_MAX_CONNECTIONS = 8_192;

    public Listener {
        rules = Lists.copy(rules);
        defaultActions = Lists.copy(defaultActions);
        if (bindAddress == null) {
            bindAddress = DEFAULT_BIND_ADDRESS;
        }
    }
}
