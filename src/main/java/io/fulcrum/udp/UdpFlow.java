package io.fulcrum.udp;

import io.fulcrum.proxy.LiveTarget;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client flow of a UDP listener: the client's address and port, the target it is pinned to, and a
 * socket of its own connected to that target, so that whatever the target sends back belongs to this
 * flow and goes to this client. Everything runs on the listener's event loop: nothing is locked.
 *
 * <p>This object is also the handler on the flow's socket (replies from the target).
 */
final class UdpFlow extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(UdpFlow.class);
    /** Datagrams held while the flow's socket is being set up (it is usually ready at once); more are dropped. */
    static final int MAX_PENDING = 16;

    private final UdpListener listener;
    private final InetSocketAddress client;
    private final LiveTarget target;
    private final long idleMillis;
    private final long startMillis;
    private Channel channel;
    private boolean connected;
    private ArrayDeque<ByteBuf> pending;
    private long lastActiveMillis;
    /** True while written datagrams wait for the flush at the end of the listener's read batch. */
    private boolean unflushed;
    private long datagramsToTarget;
    private long datagramsToClient;
    private long bytesToTarget;
    private long bytesToClient;
    private String ending = "closed";

    UdpFlow(UdpListener listener, InetSocketAddress client, LiveTarget target, long idleMillis, long nowMillis) {
        this.listener = listener;
        this.client = client;
        this.target = target;
        this.idleMillis = idleMillis;
        this.startMillis = nowMillis;
        this.lastActiveMillis = nowMillis;
    }

    /** Opens the flow's socket to its target on {@code loop} (the listener's own event loop). */
    void open(EventLoop loop, Class<? extends DatagramChannel> channelClass) {
        ChannelFuture connecting = new Bootstrap()
                .group(loop)
                .channel(channelClass)
                .option(ChannelOption.RCVBUF_ALLOCATOR, UdpListener.RECEIVE_BUFFERS)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, UdpListener.WATER_MARK)
                .handler(this)
                .connect(target.address());
        channel = connecting.channel();
        target.track(channel); // the end of a drain closes it
        channel.closeFuture().addListener(closed -> ended());
        connecting.addListener((ChannelFutureListener) this::connected);
    }

    private void connected(ChannelFuture future) {
        if (!future.isSuccess()) {
            listener.counters().countTargetError();
            ending = "cannot open a socket to the target: " + future.cause().getMessage();
            future.channel().close();
            return;
        }
        connected = true;
        if (pending != null) {
            for (ByteBuf datagram; (datagram = pending.poll()) != null; ) {
                write(datagram);
            }
            pending = null;
            channel.flush();
        }
    }

    InetSocketAddress client() {
        return client;
    }

    LiveTarget target() {
        return target;
    }

    /** True when no datagram went either way for the listener's idle timeout. */
    boolean idle(long nowMillis) {
        return nowMillis - lastActiveMillis >= idleMillis;
    }

    /**
     * Sends one client datagram to the target, taking ownership of {@code datagram}.
     *
     * @return true when it was written and the flow was not waiting for a {@link #flush()} yet
     */
    boolean toTarget(ByteBuf datagram, long nowMillis) {
        lastActiveMillis = nowMillis;
        if (!connected) {
            if (pending == null) {
                pending = new ArrayDeque<>(4);
            }
            if (pending.size() >= MAX_PENDING || !channel.isOpen()) {
                datagram.release();
                listener.counters().countDropped();
            } else {
                pending.add(datagram);
            }
            return false;
        }
        if (!write(datagram) || unflushed) {
            return false;
        }
        unflushed = true;
        return true;
    }

    private boolean write(ByteBuf datagram) {
        if (!channel.isWritable()) { // UDP has no back-pressure: beyond the socket's buffer, datagrams are dropped
            datagram.release();
            listener.counters().countDropped();
            return false;
        }
        int bytes = datagram.readableBytes();
        channel.write(datagram, channel.voidPromise());
        datagramsToTarget++;
        bytesToTarget += bytes;
        listener.counters().countToTarget(bytes);
        return true;
    }

    void flush() {
        unflushed = false;
        channel.flush();
    }

    /** Ends the flow: its socket closes and the listener forgets it. */
    void close(String why) {
        if ("closed".equals(ending)) {
            ending = why;
        }
        channel.close();
    }

    private void ended() {
        if (pending != null) {
            pending.forEach(ReferenceCountUtil::release);
            pending = null;
        }
        target.release();
        listener.flowEnded(this);
        if (UdpListener.FLOWS.isInfoEnabled()) {
            UdpListener.FLOWS.info("{} -> {} (load balancer {}) -> {} (target group {}): {} datagrams ({} bytes) to"
                            + " the target, {} ({} bytes) to the client, {} ms, {}", UdpListener.address(client),
                    listener.key(), listener.routing().loadBalancerName(), target.key(), target.groupName(),
                    datagramsToTarget, bytesToTarget, datagramsToClient, bytesToClient,
                    lastActiveMillis - startMillis, ending);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf content = msg instanceof DatagramPacket packet ? packet.content()
                : msg instanceof ByteBuf buf ? buf : null;
        if (content == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        lastActiveMillis = listener.nowMillis();
        int bytes = content.readableBytes();
        if (listener.toClient(content, client)) {
            datagramsToClient++;
            bytesToClient += bytes;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        listener.flushToClients();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        listener.counters().countTargetError();
        if (cause instanceof PortUnreachableException) {
            // the target's ICMP answer to one datagram: nothing listens there now; the flow may recover
            LOG.debug("UDP listener {}: target {} of flow from {}: port unreachable", listener.key(), target.key(),
                    client);
            return;
        }
        LOG.debug("UDP listener {}: target {} of flow from {}: {}", listener.key(), target.key(), client,
                cause.toString());
        close("target socket error: " + cause.getMessage());
    }
}
