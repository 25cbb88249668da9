package io.fulcrum.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client connection and a target connection joined after a WebSocket handshake's 101: the HTTP codecs
 * leave both pipelines and bytes are relayed as they come, each side reading only while the other can
 * take more. The pair closes together, and after the listener's idle timeout with no byte either way.
 * Both channels share one event loop (target connections are made on the client's), so nothing here
 * needs a lock.
 */
final class Tunnel {
    private static final Logger LOG = LoggerFactory.getLogger(Tunnel.class);

    private final Side client = new Side();
    private final Side target = new Side();
    private final long idleTimeoutNanos;
    private final ProxyCounters counters;
    private long lastActivityNanos;
    private ScheduledFuture<?> idleTimer;
    private boolean closed;

    private Tunnel(long idleTimeoutNanos, ProxyCounters counters) {
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.counters = counters;
        client.peer = target;
        target.peer = client;
    }

    /**
     * Turns both connections into a relay. The 101 must already be written to the client; {@code frontend}
     * is the client pipeline's HTTP handler, which the relay replaces.
     */
    static void join(ChannelHandler frontend, Channel clientChannel, BackendConnection backend,
                     long idleTimeoutNanos, ProxyCounters counters) {
        Tunnel tunnel = new Tunnel(idleTimeoutNanos, counters);
        counters.tunnelOpened();
        Channel targetChannel = backend.channel;
        tunnel.client.channel = clientChannel;
        tunnel.target.channel = targetChannel;
        tunnel.lastActivityNanos = System.nanoTime();
        ChannelPipeline clientPipeline = clientChannel.pipeline();
        clientPipeline.replace(frontend, "tunnel", tunnel.client);
        removeIfPresent(clientPipeline, "encoder"); // the 101 went through it already
        removeIfPresent(clientPipeline, "activity");
        ChannelPipeline targetPipeline = targetChannel.pipeline();
        targetPipeline.addBefore("backend", "tunnel", tunnel.target);
        // bytes that came with the 101 (the target may speak first) are handed to the relay as the codec leaves
        removeIfPresent(targetPipeline, "codec");
        removeIfPresent(clientPipeline, "decoder");
        clientChannel.config().setAutoRead(true);
        targetChannel.config().setAutoRead(true);
        clientChannel.flush();
        targetChannel.flush();
        if (!clientChannel.isActive() || !targetChannel.isActive()) {
            tunnel.close();
            return;
        }
        tunnel.armIdleTimer(idleTimeoutNanos);
    }

    private static void removeIfPresent(ChannelPipeline pipeline, String name) {
        if (pipeline.get(name) != null) {
            pipeline.remove(name);
        }
    }

    private void armIdleTimer(long delayNanos) {
        idleTimer = client.channel.eventLoop().schedule(this::onIdleTimer, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void onIdleTimer() {
        idleTimer = null;
        if (closed) {
            return;
        }
        long left = lastActivityNanos + idleTimeoutNanos - System.nanoTime();
        if (left > 0) {
            armIdleTimer(left);
            return;
        }
        LOG.debug("WebSocket {} idle for {} ms: closing", client.channel, TimeUnit.NANOSECONDS.toMillis(idleTimeoutNanos));
        close();
    }

    /** Closes both sides once what each has been given is written. */
    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        counters.tunnelClosed();
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
        for (Side side : new Side[] {client, target}) {
            if (side.channel.isActive()) {
                side.channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            } else {
                side.channel.close();
            }
        }
    }

    /** One direction's reader: what its channel reads goes to the peer's channel. */
    private final class Side extends ChannelInboundHandlerAdapter {
        Channel channel;
        Side peer;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf bytes && bytes.isReadable() && !closed) {
                peer.channel.write(bytes, peer.channel.voidPromise());
            } else {
                ReferenceCountUtil.release(msg); // an empty buffer, or the codec's end marker of the 101
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            lastActivityNanos = System.nanoTime();
            peer.channel.flush();
            if (!peer.channel.isWritable()) {
                channel.config().setAutoRead(false); // resumed when the peer drains: channelWritabilityChanged
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (channel.isWritable()) {
                peer.channel.config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            close();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("WebSocket connection {} failed: {}", ctx.channel(), cause.toString());
            close();
        }
    }
}
