package io.fulcrum.proxy;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Idle keep-alive connections to targets, one pool per event loop, so taking and returning a
 * connection needs no lock: a client connection only ever uses target connections of its own loop.
 * A connection idle longer than {@code idleTimeoutNanos} is closed instead of reused, which keeps
 * us clear of targets' own keep-alive timeouts (commonly 5 s or more).
 */
final class TargetConnectionPool {
    /** Below the shortest common target keep-alive (5 s: Node.js, Apache). */
    static final long DEFAULT_IDLE_TIMEOUT_NANOS = 4_000_000_000L;
    /** Idle connections kept per target per event loop. */
    static final int MAX_IDLE_PER_TARGET = 256;

    private final long idleTimeoutNanos;
    private final FastThreadLocal<Map<LiveTarget, ArrayDeque<BackendConnection>>> pools = new FastThreadLocal<>() {
        @Override
        protected Map<LiveTarget, ArrayDeque<BackendConnection>> initialValue() {
            return new IdentityHashMap<>();
        }
    };

    TargetConnectionPool(long idleTimeoutNanos) {
        this.idleTimeoutNanos = idleTimeoutNanos;
    }

    /** An open idle connection to {@code target}, or null. Must run on the caller's event loop. */
    BackendConnection acquire(LiveTarget target) {
        ArrayDeque<BackendConnection> idle = pools.get().get(target);
        if (idle == null) {
            return null;
        }
        long now = System.nanoTime();
        BackendConnection connection;
        while ((connection = idle.pollLast()) != null) {
            if (connection.channel.isActive() && now - connection.idleSinceNanos < idleTimeoutNanos) {
                return connection;
            }
            connection.channel.close();
        }
        return null;
    }

    /** Returns a connection after a complete exchange. Must run on the connection's event loop. */
    void release(BackendConnection connection) {
        connection.release();
        if (connection.target.draining() || !connection.channel.isActive()) {
            connection.channel.close();
            return;
        }
        ArrayDeque<BackendConnection> idle = pools.get().computeIfAbsent(connection.target, t -> new ArrayDeque<>());
        if (idle.size() >= MAX_IDLE_PER_TARGET) {
            connection.channel.close();
            return;
        }
        if (!connection.channel.config().isAutoRead()) {
            connection.channel.config().setAutoRead(true); // an idle connection must notice its target closing
        }
        connection.idleSinceNanos = System.nanoTime();
        idle.addLast(connection);
    }

    /** Forgets an idle connection that the target closed. Runs on the connection's event loop. */
    void forget(BackendConnection connection) {
        ArrayDeque<BackendConnection> idle = pools.get().get(connection.target);
        if (idle != null) {
            idle.remove(connection);
        }
    }

    /** Closes the idle connections of a target that left, on every loop of {@code loops}. */
    void purge(LiveTarget target, Iterable<io.netty.util.concurrent.EventExecutor> loops) {
        for (io.netty.util.concurrent.EventExecutor loop : loops) {
            loop.execute(() -> {
                ArrayDeque<BackendConnection> idle = pools.get().remove(target);
                if (idle != null) {
                    for (BackendConnection connection : idle.toArray(new BackendConnection[0])) {
                        connection.channel.close();
                    }
                }
            });
        }
    }
}
