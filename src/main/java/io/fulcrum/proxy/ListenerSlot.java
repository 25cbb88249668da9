package io.fulcrum.proxy;

import io.fulcrum.accesslog.AccessLogWriter;
import io.fulcrum.metrics.ListenerStats;

/**
 * An open listener's hold on the current routing. The server publishes each new snapshot by setting
 * it here (one volatile write); connections read it once per request.
 */
public final class ListenerSlot {
    private final String bindAddress;
    private final int port;
    private volatile ListenerRouting routing;
    private final ListenerStats stats = new ListenerStats();
    /** Its load balancer's access log, or null when logging is off. */
    private volatile AccessLogWriter accessLog;

    public ListenerSlot(String bindAddress, int port, ListenerRouting routing) {
        this.bindAddress = bindAddress;
        this.port = port;
        this.routing = routing;
    }

    public ListenerRouting routing() {
        return routing;
    }

    public void publish(ListenerRouting next) {
        this.routing = next;
    }

    /** What this listener counts, for as long as it is open. */
    public ListenerStats stats() {
        return stats;
    }

    public AccessLogWriter accessLog() {
        return accessLog;
    }

    /** Sets (or, with null, stops) the access log requests on this listener go to. */
    public void accessLog(AccessLogWriter log) {
        this.accessLog = log;
    }

    public String bindAddress() {
        return bindAddress;
    }

    public int port() {
        return port;
    }
}
