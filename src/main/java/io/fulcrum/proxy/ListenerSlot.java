package io.fulcrum.proxy;

/**
 * An open listener's hold on the current routing. The server publishes each new snapshot by setting
 * it here (one volatile write); connections read it once per request.
 */
public final class ListenerSlot {
    private final String bindAddress;
    private final int port;
    private volatile ListenerRouting routing;

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

    public String bindAddress() {
        return bindAddress;
    }

    public int port() {
        return port;
    }
}
