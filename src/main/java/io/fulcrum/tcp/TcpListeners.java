package io.fulcrum.tcp;

import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.Listener;
import io.fulcrum.model.LoadBalancer;
import io.fulcrum.model.Protocol;
import io.fulcrum.proxy.ListenerBindException;
import io.fulcrum.proxy.LiveTargetGroup;
import io.fulcrum.proxy.Transport;
import io.fulcrum.tls.ServerTls;
import io.fulcrum.tls.SslPolicy;
import io.fulcrum.tls.TlsMaterialException;
import io.netty.channel.EventLoopGroup;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP and TLS listeners of a server, kept in step with each config by diffing: the server prepares an
 * {@link Update} (new listeners bound, nothing else touched), then commits it once everything else of
 * the config could be applied too, or aborts it. Its methods are called by one thread at a time (the
 * server's apply); {@link #listeners()} may be read from any thread.
 */
public final class TcpListeners {
    private static final Logger LOG = LoggerFactory.getLogger(TcpListeners.class);

    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Clock clock;
    private final TcpCounters counters = new TcpCounters();
    private volatile Map<String, TcpListener> listeners = Map.of();

    /** @param workers the server's I/O event loops, shared with the HTTP listeners and the health checks */
    public TcpListeners(Transport transport, EventLoopGroup boss, EventLoopGroup workers) {
        this(transport, boss, workers, Clock.systemUTC());
    }

    /** @param clock tells whether a TLS listener's certificates are valid now */
    public TcpListeners(Transport transport, EventLoopGroup boss, EventLoopGroup workers, Clock clock) {
        this.transport = transport;
        this.boss = boss;
        this.workers = workers;
        this.clock = clock;
    }

    /** A change of the TCP listeners, prepared by {@link #prepare}. */
    public interface Update {
        /** Publishes the new routings, keeps the listeners bound by prepare and closes those that are gone. */
        void commit();

        /** Closes the listeners bound by prepare; the running ones are untouched. */
        void abort();
    }

    /**
     * Binds the TCP and TLS listeners of {@code next} that are not open yet, loads the certificates of
     * TLS listeners whose certificates or policy changed (blocking: call it off the event loops), and
     * prepares the rest of the change.
     *
     * @param groups the live target groups of the next routing snapshot, by name
     * @throws ListenerBindException when a new listener cannot be bound or a TLS listener's certificates
     *     cannot be served; then nothing has changed
     */
    public Update prepare(FulcrumConfig next, Map<String, LiveTargetGroup> groups) throws ListenerBindException {
        Map<String, TcpListener> current = listeners;
        Map<String, TcpRouting> routings = new LinkedHashMap<>();
        for (LoadBalancer lb : next.loadBalancers()) {
            for (Listener listener : lb.listeners()) {
                if (listener.protocol() == Protocol.TCP || listener.protocol() == Protocol.TLS) {
                    String key = listener.addressKey();
                    ServerTls tls = listener.protocol() == Protocol.TLS ? tls(key, listener, current.get(key)) : null;
                    routings.put(key, new TcpRouting(lb.name(), listener, groups.get(listener.defaultTargetGroupName()),
                            tls));
                }
            }
        }
        Map<String, TcpListener> opened = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, TcpRouting> entry : routings.entrySet()) {
                if (!current.containsKey(entry.getKey())) {
                    opened.put(entry.getKey(), TcpListener.open(transport, boss, workers, entry.getValue(), counters));
                }
            }
        } catch (ListenerBindException e) {
            opened.values().forEach(TcpListener::close);
            throw e;
        }
        return new Update() {
            @Override
            public void commit() {
                Map<String, TcpListener> result = new LinkedHashMap<>();
                for (Map.Entry<String, TcpRouting> entry : routings.entrySet()) {
                    TcpListener listener = current.get(entry.getKey());
                    if (listener != null) {
                        listener.publish(entry.getValue());
                    } else {
                        listener = opened.get(entry.getKey());
                        LOG.info("Listening on {} ({} listener of load balancer {}, {} transport)", entry.getKey(),
                                entry.getValue().listener().protocol(), entry.getValue().loadBalancerName(),
                                transport.name());
                    }
                    result.put(entry.getKey(), listener);
                }
                listeners = Map.copyOf(result);
                for (Map.Entry<String, TcpListener> entry : current.entrySet()) {
                    if (!routings.containsKey(entry.getKey())) {
                        entry.getValue().close();
                        LOG.info("Closed TCP listener {}", entry.getKey());
                    }
                }
            }

            @Override
            public void abort() {
                opened.values().forEach(TcpListener::close);
            }
        };
    }

    /**
     * The TLS a TLS listener at {@code key} serves with: the open listener's own when its certificates
     * and policy are unchanged (a re-apply for target changes must not re-read files), else loaded now,
     * carrying on the open one's handshake failure count.
     */
    private ServerTls tls(String key, Listener listener, TcpListener open) throws ListenerBindException {
        ServerTls previous = open == null ? null : open.routing().tls();
        if (previous != null && previous.serves(listener.certificates(), listener.sslPolicy())) {
            return previous;
        }
        try {
            return ServerTls.load(listener.certificates(), SslPolicy.byName(listener.sslPolicy()), clock,
                    ServerTls.Application.TCP, previous);
        } catch (TlsMaterialException | RuntimeException e) {
            throw new ListenerBindException("cannot serve TLS on " + key + ": " + e.getMessage(), e);
        }
    }

    /** The TLS of each open TLS listener (for the certificate watcher), by "address:port". */
    public Map<String, ServerTls> serverTls() {
        Map<String, ServerTls> result = new LinkedHashMap<>();
        for (Map.Entry<String, TcpListener> entry : listeners.entrySet()) {
            ServerTls tls = entry.getValue().routing().tls();
            if (tls != null) {
                result.put(entry.getKey(), tls);
            }
        }
        return result;
    }

    /** The open TCP and TLS listeners by "address:port". */
    public Map<String, TcpListener> listeners() {
        return listeners;
    }

    /** The live target group of this name that a TCP listener forwards to now, or null. */
    public LiveTargetGroup targetGroup(String name) {
        for (TcpListener listener : listeners.values()) {
            LiveTargetGroup group = listener.routing().targetGroup();
            if (group != null && group.name().equals(name)) {
                return group;
            }
        }
        return null;
    }

    public TcpCounters counters() {
        return counters;
    }

    /** Client connections open on all TCP listeners. */
    public int openConnections() {
        int open = 0;
        for (TcpListener listener : listeners.values()) {
            open += listener.openConnections();
        }
        return open;
    }

    /** Stops accepting on every TCP listener; open connections end with the event loops. */
    public void close() {
        List<TcpListener> open = new ArrayList<>(listeners.values());
        listeners = Map.of();
        open.forEach(TcpListener::close);
    }

}
