package io.fulcrum.proxy;

import io.netty.channel.Channel;

/**
 * Flushes a connection once, after the current turn of its event loop, however many times it was asked
 * to during that turn. The HTTP/2 streams of one connection answer as their targets' responses come in,
 * often several in one turn; flushing each would cost a write (and with TLS a record) per response.
 * Used on the connection's event loop only, so the flag needs no synchronisation.
 */
final class DeferredFlush implements Runnable {
    private final Channel connection;
    private boolean pending;

    DeferredFlush(Channel connection) {
        this.connection = connection;
    }

    /** Asks for a flush of the connection after this turn; further asks before it runs are free. */
    void request() {
        if (!pending) {
            pending = true;
            // a task runs after the I/O of the turn that queued it
            connection.eventLoop().execute(this);
        }
    }

    @Override
    public void run() {
        pending = false;
        connection.flush();
    }
}
