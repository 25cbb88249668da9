package io.fulcrum.model;

/**
 * One registered target.
 *
 * @param id an IP address or host name (type ip)
 * @param port the traffic port
 * @param weight relative share of traffic (1..999, default 1)
 */
public record Target(String id, int port, int weight) {
    public static final int DEFAULT_WEIGHT = 1;

    /** "host:port" as shown in logs and error messages. */
    public String address() {
        return id.indexOf(':') >= 0 ? "[" + id + "]:" + port : id + ":" + port;
    }
}
