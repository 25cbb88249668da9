package io.fulcrum.udp;

import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.Listener;
import io.fulcrum.model.LoadBalancer;
import io.fulcrum.model.Protocol;
import io.fulcrum.proxy.ListenerBindException;
import io.fulcrum.proxy.LiveTargetGroup;
import io.fulcrum.proxy.Transport;
import io.netty.channel.EventLoopGroup;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP listeners of a server, kept in step with each config by diffing, as the TCP ones are: the
 * server prepares an {@link Update} (new listeners bound, nothing else touched), then commits it once
 * everything else of the config could be applied too, or aborts it. Its methods are called by one thread
 * at a time (the server's apply); {@link #listeners()} may be read from any thread.
 */
public final class UdpListeners {
    private static final Logger LOG = LoggerFactory.getLogger(UdpListeners.class);

    private final Transport transport;
    private final EventLoopGroup workers;
    private final Clock clock;
    private final UdpCounters counters = new UdpCounters();
    private volatile Map<String, UdpListener> listeners = Map.of();

    /**
     * @param workers the server's I/O event loops: each listener and its flows live on one of them
     * @param clock tells flows' idle times
     */
    public UdpListeners(Transport transport, EventLoopGroup workers, Clock clock) {
        this.transport = transport;
        this.workers = workers;
        this.clock = clock;
    }

    /** A change of the UDP listeners, prepared by {@link #prepare}. */
    public interface Update {
        /** Publishes the new routings, keeps the listeners bound by prepare and closes those that are gone. */
        void commit();

        /** Closes the listeners bound by prepare; the running ones are untouched. */
        void abort();
    }

    /**
     * Binds the UDP listeners of {@code next} that are not open yet and prepares the rest of the change.
     *
     * @param groups the live target groups of the next routing snapshot, by name
     * @throws ListenerBindException when a new listener cannot be bound; then nothing has changed
     */
    public Update prepare(FulcrumConfig next, Map<String, LiveTargetGroup> groups) throws ListenerBindException {
        Map<String, UdpListener> current = listeners;
        Map<String, UdpRouting> routings = new LinkedHashMap<>();
        for (LoadBalancer lb : next.loadBalancers()) {
            for (Listener listener : lb.listeners()) {
                if (listener.protocol() == Protocol.UDP) {
                    routings.put(listener.addressKey(), new UdpRouting(lb.name(), listener,
                            groups.get(listener.defaultTargetGroupName())));
                }
            }
        }
        Map<String, UdpListener> opened = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, UdpRouting> entry : routings.entrySet()) {
                if (!current.containsKey(entry.getKey())) {
                    opened.put(entry.getKey(), UdpListener.open(transport, workers, entry.getValue(), counters, clock));
                }
            }
        } catch (ListenerBindException e) {
            opened.values().forEach(UdpListener::close);
            throw e;
        }
        return new Update() {
            @Override
            public void commit() {
                Map<String, UdpListener> result = new LinkedHashMap<>();
                for (Map.Entry<String, UdpRouting> entry : routings.entrySet()) {
                    UdpListener listener = current.get(entry.getKey());
                    if (listener != null) {
                        listener.publish(entry.getValue());
                    } else {
                        listener = opened.get(entry.getKey());
                        LOG.info("Listening on {} (UDP listener of load balancer {}, {} transport)", entry.getKey(),
                                entry.getValue().loadBalancerName(), transport.name());
                    }
                    result.put(entry.getKey(), listener);
                }
                listeners = Map.copyOf(result);
                for (Map.Entry<String, UdpListener> entry : current.entrySet()) {
                    if (!routings.containsKey(entry.getKey())) {
                        entry.getValue().close();
                        LOG.info("Closed UDP listener {}", entry.getKey());
                    }
                }
            }

            @Override
            public void abort() {
                opened.values().forEach(UdpListener::close);
            }
        };
    }

    /** The open UDP listeners by "address:port". */
    public Map<String, UdpListener> listeners() {
        return listeners;
    }

    /** The live target group of this name that a UDP listener forwards to now, or null. */
    public LiveTargetGroup targetGroup(String name) {
        for (UdpListener listener : listeners.values()) {
            LiveTargetGroup group = listener.routing().targetGroup();
            if (group != null && group.name().equals(name)) {
                return group;
            }
        }
        return null;
    }

    /** The totals of every UDP listener this server has had. */
    public UdpCounters counters() {
        return counters;
    }

    /** Client flows open on all UDP listeners. */
    public int openFlows() {
        int open = 0;
        for (UdpListener listener : listeners.values()) {
            open += listener.openFlows();
        }
        return open;
    }

    /** Closes every UDP listener and its flows. */
    public void close() {
        List<UdpListener> open = new ArrayList<>(listeners.values());
        listeners = Map.of();
        open.forEach(UdpListener::close);
    }

}
