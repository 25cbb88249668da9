package io.fulcrum.udp;

import io.fulcrum.proxy.ListenerBindException;
import io.fulcrum.proxy.LiveTarget;
import io.fulcrum.proxy.LiveTargetGroup;
import io.fulcrum.proxy.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open UDP listener: a bound UDP socket whose client flows are each pinned to one target of its
 * routing's target group. The socket and every flow's socket live on one event loop, so the flow table
 * is a plain map touched by that loop only.
 */
public final class UdpListener {
    private static final Logger LOG = LoggerFactory.getLogger(UdpListener.class);
    /** One line per flow with the client's address, as NLB's flow logs: silence it with this logger's level. */
    static final Logger FLOWS = LoggerFactory.getLogger("io.fulcrum.udp.flows");
    /** The largest UDP payload fits (65,507 bytes over IPv4, 65,527 over IPv6): a datagram is never cut. */
    static final int MAX_DATAGRAM_BYTES = 65_535;
    static final RecvByteBufAllocator RECEIVE_BUFFERS = new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES);
    /** Datagrams queued in the balancer beyond this are dropped rather than buffered (UDP may lose them). */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(128 * 1024, 256 * 1024);
    /** How often idle flows are looked for: a flow ends at most this long after its idle timeout. */
    static final long SWEEP_MILLIS = 1_000;

    private final String key;
    private final Transport transport;
    private final UdpCounters counters;
    private final Clock clock;
    /** The open flows by client address and port; touched on the listener's event loop only. */
    private final Map<InetSocketAddress, UdpFlow> flows = new HashMap<>();
    /** Flows written to in the current read batch, flushed once at its end. */
    private final List<UdpFlow> unflushed = new ArrayList<>();
    private volatile UdpRouting routing;
    private volatile int openFlows;
    private boolean clientsUnflushed;
    private Channel channel;
    private ScheduledFuture<?> sweep;

    private UdpListener(String key, Transport transport, UdpCounters counters, Clock clock, UdpRouting routing) {
        this.key = key;
        this.transport = transport;
        this.counters = counters;
        this.clock = clock;
        this.routing = routing;
    }

    /**
     * Binds a UDP listener at the routing's listener address and port, on one of {@code workers}.
     *
     * @param counters the server's totals, which the listener's own counters add to
     * @param clock tells flows' idle times
     * @throws ListenerBindException when the address cannot be bound (in use, not local, no permission)
     */
    public static UdpListener open(Transport transport, EventLoopGroup workers, UdpRouting routing, UdpCounters counters,
                                   Clock clock) throws ListenerBindException {
        String key = routing.listener().addressKey();
        UdpListener listener = new UdpListener(key, transport, new UdpCounters(counters), clock, routing);
        Bootstrap bootstrap = new Bootstrap()
                .group(workers)
                .channel(transport.datagramChannelClass())
                .option(ChannelOption.RCVBUF_ALLOCATOR, RECEIVE_BUFFERS)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(listener.new ClientSide());
        try {
            listener.channel = bootstrap.bind(new InetSocketAddress(routing.listener().bindAddress(),
                    routing.listener().port())).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw ListenerBindException.bindFailed(key, e);
        }
        listener.sweep = listener.channel.eventLoop().scheduleAtFixedRate(listener::expireIdleFlows, SWEEP_MILLIS,
                SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        return listener;
    }

    /** "address:port" as the config names it. */
    public String key() {
        return key;
    }

    /** The routing new flows use. */
    public UdpRouting routing() {
        return routing;
    }

    /** Publishes a new routing: flows started from now on use it; open ones keep their target. */
    void publish(UdpRouting next) {
        this.routing = next;
    }

    /** This listener's own counters (they add to the server's totals too). */
    public UdpCounters counters() {
        return counters;
    }

    /** The bound port. */
    public int boundPort() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Client flows open now. */
    public int openFlows() {
        return openFlows;
    }

    /** True while the listener's socket is bound. */
    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Stops receiving and ends every flow (their sockets close); returns once they are closed. */
    public void close() {
        channel.close().syncUninterruptibly();
        Runnable endFlows = () -> {
            sweep.cancel(false);
            for (UdpFlow flow : new ArrayList<>(flows.values())) {
                flow.close("listener closed");
            }
        };
        if (channel.eventLoop().inEventLoop()) {
            endFlows.run();
        } else {
            channel.eventLoop().submit(endFlows).syncUninterruptibly();
        }
    }

    long nowMillis() {
        return clock.millis();
    }

    /** Ends the flows idle for their idle timeout; runs on the event loop every {@link #SWEEP_MILLIS}. */
    void expireIdleFlows() {
        long now = clock.millis();
        List<UdpFlow> idle = null;
        for (UdpFlow flow : flows.values()) {
            if (flow.idle(now)) {
                if (idle == null) {
                    idle = new ArrayList<>();
                }
                idle.add(flow);
            }
        }
        if (idle != null) {
            for (UdpFlow flow : idle) {
                counters.countIdleTimeout();
                flow.close("idle timeout");
            }
        }
    }

    /** Runs the idle sweep now, on the listener's event loop, and waits for it (for tests with a set clock). */
    void sweepNow() {
        channel.eventLoop().submit(this::expireIdleFlows).syncUninterruptibly();
    }

    /** A client datagram: to its flow's target, starting the flow on its first datagram. */
    private void fromClient(DatagramPacket packet) {
        InetSocketAddress client = packet.sender();
        long now = clock.millis();
        UdpFlow flow = flows.get(client);
        if (flow != null && mustMove(flow)) {
            flows.remove(client); // its socket's close comes later; the new flow takes its place now
            flow.close("target no longer healthy");
            flow = null;
        }
        if (flow == null) {
            flow = startFlow(client, now);
            if (flow == null) {
                packet.release();
                return;
            }
        }
        if (flow.toTarget(packet.content(), now)) {
            unflushed.add(flow);
        }
    }

    /**
     * True when the flow's target left the healthy ones while the group has others: later datagrams go to
     * a healthy target (a flow stays put while the group fails open).
     */
    private boolean mustMove(UdpFlow flow) {
        if (flow.target().health().routable()) {
            return false;
        }
        LiveTargetGroup group = routing.targetGroup();
        return group != null && !group.failingOpen() && !group.routable().isEmpty();
    }

    private UdpFlow startFlow(InetSocketAddress client, long now) {
        UdpRouting current = routing;
        if (flows.size() >= current.listener().maxConnections()) {
            counters.countRefused();
            return null;
        }
        LiveTargetGroup group = current.targetGroup();
        long hash = flowHash(client, (InetSocketAddress) channel.localAddress());
        LiveTarget picked = group == null ? null : group.pickForFlow(hash, null);
        LiveTarget acquired = picked == null ? null : group.acquire(picked);
        if (acquired == null) {
            counters.countNoTarget();
            return null;
        }
        UdpFlow flow = new UdpFlow(this, client, acquired, current.listener().idleTimeout().toMillis(), now);
        flows.put(client, flow);
        openFlows = flows.size();
        counters.countFlowStarted();
        flow.open(channel.eventLoop(), transport.datagramChannelClass());
        return flow;
    }

    /** A flow's socket closed: the listener forgets it (unless a newer flow of the same client replaced it). */
    void flowEnded(UdpFlow flow) {
        flows.remove(flow.client(), flow);
        openFlows = flows.size();
        counters.countFlowEnded();
    }

    /**
     * A target's datagram to its flow's client, sent from the listener's own address and port; taking
     * ownership of {@code content}.
     *
     * @return false when it was dropped (the listener's socket buffer is full, or it is closed)
     */
    boolean toClient(ByteBuf content, InetSocketAddress client) {
        if (!channel.isActive() || !channel.isWritable()) {
            content.release();
            counters.countDropped();
            return false;
        }
        int bytes = content.readableBytes();
        channel.write(new DatagramPacket(content, client), channel.voidPromise());
        clientsUnflushed = true;
        counters.countToClient(bytes);
        return true;
    }

    /** Flushes the datagrams written to clients since the last flush, once per read batch of a target. */
    void flushToClients() {
        if (clientsUnflushed) {
            clientsUnflushed = false;
            channel.flush();
        }
    }

    /** The flow's 5-tuple hashed (protocol 17, UDP): stable for a flow, spread over the flows. */
    static long flowHash(InetSocketAddress source, InetSocketAddress destination) {
        long hash = 17; // IPPROTO_UDP
        hash = hash * 1_000_003 + source.getAddress().hashCode();
        hash = hash * 1_000_003 + source.getPort();
        hash = hash * 1_000_003 + destination.getAddress().hashCode();
        return hash * 1_000_003 + destination.getPort();
    }

    static String address(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** The handler on the listener's socket: client datagrams in, one read batch at a time. */
    private final class ClientSide extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof DatagramPacket packet) {
                fromClient(packet);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            for (int i = 0; i < unflushed.size(); i++) {
                unflushed.get(i).flush();
            }
            unflushed.clear();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // a send to a client that is gone (ICMP) fails that datagram only: the socket serves on
            LOG.debug("UDP listener {}: {}", key, cause.toString());
        }
    }
}
