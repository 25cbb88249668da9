package io.fulcrum.tcp;

import io.fulcrum.proxy.LiveTarget;
import io.fulcrum.model.Protocol;
import io.fulcrum.proxy.LiveTargetGroup;
import io.fulcrum.tls.TargetTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of a TCP listener and its connection to a target. On accept it picks a target
 * and connects from the client's own event loop (reading from the client stays off until then); a
 * failed connect is retried once on another target. Then it relays bytes both ways: a side whose peer
 * cannot take more stops reading until the peer drains (back-pressure); a FIN from one side becomes a
 * FIN to the other once what came before it is written (half-close); when either side closes, the
 * other is closed after its pending bytes. All of it runs on one event loop, so nothing is locked.
 *
 * <p>On a TLS listener the client's TLS handshake comes first (reading is on for it): only a client
 * that completed it gets a target connection, and the relay sees the decrypted bytes. A FIN from the
 * target becomes a TLS close_notify and a FIN to the client; a close_notify from the client closes the
 * connection (its TLS session is over both ways).
 *
 * <p>To a TLS target group the target connection starts with a TLS handshake (verified or not, as the
 * group says; the Proxy Protocol header, if any, goes before it in clear): the client's bytes wait
 * until it is done, and a failed one closes the client's connection and counts a target TLS failure.
 * A close_notify from the target ends its direction as its FIN would.
 *
 * <p>This handler sits on the client's channel; {@link TargetSide} on the target's.
 */
final class TcpConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);
    /** One line per connection with its source address, as NLB's flow logs: silence it with this logger's level. */
    private static final Logger CONNECTIONS = LoggerFactory.getLogger("io.fulcrum.tcp.connections");
    /** The first target, and one other when it cannot be reached. */
    static final int MAX_CONNECT_ATTEMPTS = 2;

    private final TcpListener listener;
    /** The snapshot this connection was accepted under, read once. */
    private final TcpRouting routing;
    private Channel client;
    /** True on a TLS listener until the client's handshake is over. */
    private boolean handshaking;
    private Channel target;
    private LiveTarget targetNode;
    private LiveTargetGroup group;
    private boolean connected;
    private int attempts;
    private long flowHash;
    private long toTarget;
    private long toClient;
    private long startNanos;
    private String ending = "closed";
    /**
     * Client bytes read before the target was connected, and whether the client's FIN came with them: with
     * reading off this happens only when the client half-closes at once (epoll reads what is left at a FIN).
     */
    private java.util.ArrayDeque<Object> early;
    private boolean earlyFin;
    /** A TLS client's close_notify came before the target was connected. */
    private boolean earlyCloseNotify;
    /** The target's end (FIN or close_notify) was passed to the client. */
    private boolean targetEndPassed;

    TcpConnection(TcpListener listener, TcpRouting routing) {
        this.listener = listener;
        this.routing = routing;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = ctx.channel();
        startNanos = System.nanoTime();
        listener.counters().countAccepted();
        group = routing.targetGroup();
        flowHash = flowHash((InetSocketAddress) client.remoteAddress(), (InetSocketAddress) client.localAddress());
        if (routing.tls() != null) {
            handshaking = true;
            client.config().setAutoRead(true); // the handshake needs the client's bytes; the target waits for it
        } else {
            connect(null);
        }
        ctx.fireChannelActive();
    }

    /** A TLS client finished its handshake: now the target is chosen and connected, reading off until then. */
    private void handshakeDone(SslHandshakeCompletionEvent done) {
        handshaking = false;
        if (!done.isSuccess()) {
            // the SSL handler has sent an alert and closes the connection
            ending = "TLS handshake failed: " + done.cause().getMessage();
            return;
        }
        client.config().setAutoRead(false);
        connect(null);
    }

    /** The 5-tuple's hash (the protocol is always TCP): stable for a flow, spread over the flows. */
    static long flowHash(InetSocketAddress source, InetSocketAddress destination) {
        long hash = 6; // IPPROTO_TCP
        hash = hash * 1_000_003 + source.getAddress().hashCode();
        hash = hash * 1_000_003 + source.getPort();
        hash = hash * 1_000_003 + destination.getAddress().hashCode();
        return hash * 1_000_003 + destination.getPort();
    }

    private void connect(LiveTarget avoid) {
        LiveTarget picked = group == null ? null : group.pickForFlow(flowHash, avoid);
        LiveTarget acquired = picked == null ? null : group.acquire(picked);
        if (acquired == null) {
            listener.counters().countNoTarget();
            ending = avoid == null ? "no target available" : "no other target after a failed connect";
            client.close();
            return;
        }
        attempts++;
        targetNode = acquired;
        long connectMillis = Math.min(Integer.MAX_VALUE, group.spec().attributes().connectTimeout().toMillis());
        ChannelFuture connecting = new Bootstrap()
                .group(client.eventLoop())
                .channel(listener.transport().channelClass())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectMillis)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, TcpListener.WATER_MARK)
                .handler(new TargetSide())
                .connect(acquired.address());
        Channel channel = connecting.channel();
        target = channel;
        acquired.track(channel); // a finished drain closes it
        channel.closeFuture().addListener(closed -> acquired.release()); // a failed connect closes it too
        connecting.addListener((ChannelFutureListener) future -> connected(acquired, future));
    }

    private void connected(LiveTarget attempted, ChannelFuture future) {
        if (!client.isActive()) {
            future.channel().close(); // the client left while we were connecting
            return;
        }
        if (!future.isSuccess()) {
            group.passive().recordFailure(attempted.health());
            listener.counters().countConnectFailure();
            LOG.debug("Target {} of target group {}: connect failed: {}", attempted.key(), group.name(),
                    future.cause().toString());
            if (attempts < MAX_CONNECT_ATTEMPTS) {
                connect(attempted);
            } else {
                listener.counters().countNoTarget();
                ending = "connect to " + attempted.key() + " failed: " + future.cause().getMessage();
                client.close();
            }
            return;
        }
        group.passive().recordSuccess(attempted.health());
        if (group.spec().attributes().proxyProtocolV2()) {
            // first on the wire, before any TLS record: receivers (HAProxy's accept-proxy, nginx's
            // proxy_protocol, NLB's targets) read the header before the ClientHello
            target.write(ProxyProtocolV2.header(target.alloc(), (InetSocketAddress) client.remoteAddress(),
                    (InetSocketAddress) client.localAddress()), target.voidPromise());
        }
        if (group.spec().protocol() == Protocol.TLS) {
            startTargetTls(attempted);
        } else {
            relayStarts();
        }
    }

    /**
     * A TLS group: the handshake with the target comes before any relayed byte (it starts when the handler
     * is added, behind the Proxy Protocol header if one was written). The target's reading is on for it.
     */
    private void startTargetTls(LiveTarget attempted) {
        InetSocketAddress address = attempted.address();
        target.pipeline().addFirst("tls", TargetTls.shared().newStreamHandler(target.alloc(), address.getHostString(),
                address.getPort(), group.spec().attributes().verifyTargetCertificate()));
        target.config().setAutoRead(true);
    }

    /** The TLS handshake with the target ended: the relay starts, or the client is let go. */
    private void targetHandshakeDone(SslHandshakeCompletionEvent done) {
        if (done.isSuccess()) {
            target.config().setAutoRead(false); // relayStarts turns it on with the client's
            relayStarts();
            return;
        }
        listener.counters().countTargetTlsFailure();
        ending = "TLS handshake with target " + targetNode.key() + " failed: " + reason(done.cause());
        LOG.debug("Target {} of target group {}: TLS handshake failed: {}", targetNode.key(), group.name(),
                done.cause().toString());
        target.close();
        client.close();
    }

    /** The innermost message of a TLS failure: OpenSSL's outer one is only "General OpenSslEngine problem". */
    private static String reason(Throwable cause) {
        String message = cause.getMessage();
        for (Throwable inner = cause.getCause(); inner != null && inner != inner.getCause(); inner = inner.getCause()) {
            if (inner.getMessage() != null) {
                message = inner.getMessage();
            }
        }
        return message;
    }

    /** The target can take bytes: what the client sent meanwhile goes first, then both sides read. */
    private void relayStarts() {
        connected = true;
        if (early != null) {
            for (Object msg; (msg = early.poll()) != null; ) {
                toTarget += relay(msg, client, target);
            }
            early = null;
        }
        target.flush();
        if (earlyCloseNotify) {
            client.close();
            return;
        }
        if (earlyFin) {
            inputShutdown(client, target);
        }
        reading(target, true);
        reading(client, true);
    }

    /**
     * Turns reading on or off, except on a channel whose input is shut down: there is nothing more to
     * read, and epoll refuses a change of interest on such a socket (epoll_ctl: ENOENT).
     */
    private static void reading(Channel channel, boolean on) {
        if (!((DuplexChannel) channel).isInputShutdown()) {
            channel.config().setAutoRead(on);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!connected && client.isActive()) {
            if (early == null) {
                early = new java.util.ArrayDeque<>(2);
            }
            early.add(msg);
            return;
        }
        toTarget += relay(msg, client, target);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (connected) {
            target.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        resumeIfWritable(client, target);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            listener.counters().countIdleTimeout();
            ending = "idle timeout";
            client.close();
        } else if (event instanceof SslHandshakeCompletionEvent done) {
            handshakeDone(done);
        } else if (event instanceof SslCloseCompletionEvent closed && closed.isSuccess() && client.isActive()) {
            // the client's close_notify: the TLS engines answer it with their own, nothing more can reach it
            if ("closed".equals(ending)) {
                ending = "TLS close_notify from the client";
            }
            if (connected) {
                client.close(); // the target gets what came before, then its connection is closed
            } else {
                earlyCloseNotify = true; // closed once what came before is passed to the target
            }
        } else if (event == ChannelInputShutdownEvent.INSTANCE) {
            if (handshaking) {
                ending = "closed by the client during the TLS handshake";
                client.close();
            } else if (connected) {
                inputShutdown(client, target);
            } else {
                earlyFin = true; // passed on once the target is connected
            }
        }
        ReferenceCountUtil.release(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (early != null) {
            early.forEach(ReferenceCountUtil::release);
            early = null;
        }
        if (target != null) {
            if (connected) {
                closeAfterWrites(target);
            } else {
                target.close(); // a connect in progress is abandoned
            }
        }
        if ("closed".equals(ending)) {
            ending = "closed by the client";
        }
        listener.counters().countEnded(toTarget, toClient);
        if (CONNECTIONS.isInfoEnabled()) {
            CONNECTIONS.info("{} -> {} (load balancer {}) -> {} (target group {}): {} bytes to the target, {} to the client,"
                            + " {} ms, {}{}", address(client.remoteAddress()), listener.key(),
                    routing.loadBalancerName(), targetNode == null ? "-" : targetNode.key(),
                    group == null ? "-" : group.name(), toTarget, toClient,
                    (System.nanoTime() - startNanos) / 1_000_000, ending, tlsText());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!ending.startsWith("TLS handshake failed")) { // the handshake's own event said it first
            ending = (handshaking ? "TLS handshake failed: " : "client connection error: ") + cause.getMessage();
        }
        LOG.debug("TCP listener {}: client {}: {}", listener.key(), client.remoteAddress(), cause.toString());
        client.close();
    }

    /**
     * Writes {@code msg} to {@code to}; when {@code to} is then above its high water mark, {@code from}
     * stops reading until {@code to}'s writability comes back.
     *
     * @return the bytes relayed
     */
    private int relay(Object msg, Channel from, Channel to) {
        if (!connected || !to.isActive()) {
            ReferenceCountUtil.release(msg);
            return 0;
        }
        int bytes = msg instanceof ByteBuf buf ? buf.readableBytes() : 0;
        to.write(msg, to.voidPromise());
        if (!to.isWritable()) {
            reading(from, false);
        }
        return bytes;
    }

    private void resumeIfWritable(Channel self, Channel peer) {
        if (connected && self.isWritable() && peer.isActive()) {
            reading(peer, true);
        }
    }

    /**
     * {@code from} sent FIN: pass it on once everything before it is written, then close what is done both
     * ways. To a TLS client the FIN follows a close_notify, as TLS ends a direction.
     */
    private void inputShutdown(Channel from, Channel to) {
        if (connected && to.isActive()) {
            to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) written -> {
                if (written.isSuccess()) {
                    SslHandler tls = to.pipeline().get(SslHandler.class);
                    if (tls == null) {
                        shutdownOutput(to);
                    } else {
                        tls.closeOutbound().addListener((ChannelFutureListener) notified -> {
                            if (notified.isSuccess()) {
                                shutdownOutput(to);
                            }
                        });
                    }
                }
            });
        }
        if (((DuplexChannel) from).isShutdown()) {
            from.close();
        }
    }

    /**
     * The target sent its end (a FIN, or a TLS target's close_notify before its FIN): passed on to the
     * client once; the second signal only closes a connection that is now done both ways.
     */
    private void targetEnded() {
        if (!targetEndPassed) {
            targetEndPassed = true;
            inputShutdown(target, client);
        } else if (((DuplexChannel) target).isShutdown()) {
            target.close();
        }
    }

    private static void shutdownOutput(Channel channel) {
        DuplexChannel duplex = (DuplexChannel) channel;
        duplex.shutdownOutput().addListener(shut -> {
            if (duplex.isShutdown()) {
                channel.close();
            }
        });
    }

    private static void closeAfterWrites(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /** ", TLSv1.3 TLS_AES_128_GCM_SHA256" after a TLS handshake, else nothing. */
    private String tlsText() {
        io.fulcrum.tls.TlsInfo tls = io.fulcrum.tls.TlsInfo.of(client);
        return tls == null ? "" : ", " + tls.protocol() + " " + tls.cipherSuite();
    }

    private static String address(java.net.SocketAddress address) {
        return address instanceof InetSocketAddress inet
                ? (inet.getAddress().getHostAddress().indexOf(':') >= 0 ? "[" + inet.getAddress().getHostAddress() + "]"
                : inet.getAddress().getHostAddress()) + ":" + inet.getPort()
                : String.valueOf(address);
    }

    /** The handler on the target's channel: the mirror image of the client side, for the same connection. */
    private final class TargetSide extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            toClient += relay(msg, target, client);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (connected) {
                client.flush();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            resumeIfWritable(target, client);
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (ctx.channel() != target) {
                ReferenceCountUtil.release(event); // an abandoned attempt
                return;
            }
            if (event == ChannelInputShutdownEvent.INSTANCE) {
                targetEnded();
            } else if (event instanceof SslHandshakeCompletionEvent done) {
                targetHandshakeDone(done);
            } else if (event instanceof SslCloseCompletionEvent closed && closed.isSuccess() && connected) {
                targetEnded(); // a TLS target's close_notify: it sends nothing more, as a FIN says
            }
            ReferenceCountUtil.release(event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (connected && ctx.channel() == target) {
                if (client.isActive() && "closed".equals(ending)) {
                    ending = "closed by the target";
                }
                closeAfterWrites(client);
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == target && !ending.startsWith("TLS handshake with target")) {
                ending = "target connection error: " + cause.getMessage();
            }
            LOG.debug("TCP listener {}: target {}: {}", listener.key(), ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
