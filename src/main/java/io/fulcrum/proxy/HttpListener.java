package io.fulcrum.proxy;

import io.fulcrum.tls.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * One open HTTP or HTTPS listener: a bound server socket whose connections proxy through its slot's
 * routing. With TLS set, each new connection is terminated with it first; the TLS can be swapped (or
 * removed) on a reload, for new connections only.
 */
public final class HttpListener {
    private final ListenerSlot slot;
    private final Channel serverChannel;
    private final ConnectionLimiter limiter;
    private final TlsHolder tlsHolder;

    /** The TLS new connections are served with; null for plain HTTP. */
    private static final class TlsHolder {
        volatile ServerTls tls;
    }

    private HttpListener(ListenerSlot slot, Channel serverChannel, ConnectionLimiter limiter, TlsHolder tlsHolder) {
        this.slot = slot;
        this.serverChannel = serverChannel;
        this.limiter = limiter;
        this.tlsHolder = tlsHolder;
    }

    /** Binds a plain HTTP listener. */
    public static HttpListener open(ProxyContext context, EventLoopGroup boss, ListenerSlot slot, int maxConnections)
            throws ListenerBindException {
        return open(context, boss, slot, maxConnections, null);
    }

    /**
     * Binds a listener.
     *
     * @param tls terminates TLS on each connection (HTTPS), or null for plain HTTP
     * @throws ListenerBindException when the address cannot be bound (in use, not local, no permission)
     */
    public static HttpListener open(ProxyContext context, EventLoopGroup boss, ListenerSlot slot, int maxConnections,
                                    ServerTls tls) throws ListenerBindException {
        ConnectionLimiter limiter = new ConnectionLimiter(maxConnections);
        TlsHolder tlsHolder = new TlsHolder();
        tlsHolder.tls = tls;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, context.workers())
                .channel(context.transport().serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, ProxyContext.WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ServerTls connectionTls = tlsHolder.tls;
                        ProxyResponseEncoder encoder = new ProxyResponseEncoder();
                        HttpFrontendHandler frontend = new HttpFrontendHandler(context, slot, encoder,
                                connectionTls != null);
                        ch.pipeline()
                                .addLast("activity", new ActivityTracker(frontend))
                                .addLast("decoder", new StrictRequestDecoder())
                                .addLast("encoder", encoder)
                                .addLast("frontend", frontend);
                        if (connectionTls != null) {
                            connectionTls.addTo(ch.pipeline());
                        }
                        // counted before anything else, so a failed handshake frees its slot too
                        ch.pipeline().addFirst("limit", limiter);
                    }
                });
        InetSocketAddress address = new InetSocketAddress(slot.bindAddress(), slot.port());
        try {
            Channel channel = bootstrap.bind(address).syncUninterruptibly().channel();
            limiter.serverChannel(channel);
            return new HttpListener(slot, channel, limiter, tlsHolder);
        } catch (Exception e) {
            String why = e instanceof BindException || e.getMessage() != null && e.getMessage().contains("in use")
                    ? "address already in use" : String.valueOf(e.getMessage());
            throw new ListenerBindException("cannot listen on " + slot.bindAddress() + ":" + slot.port() + ": " + why, e);
        }
    }

    /** The TLS new connections get; null when the listener serves plain HTTP. */
    public ServerTls tls() {
        return tlsHolder.tls;
    }

    /** Sets the TLS of new connections (null: plain HTTP); open connections keep theirs. */
    public void tls(ServerTls tls) {
        tlsHolder.tls = tls;
    }

    public ListenerSlot slot() {
        return slot;
    }

    /** The bound port (useful when the config asked for port 0 in tests). */
    public int boundPort() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public int openConnections() {
        return limiter.open();
    }

    /** Stops accepting; connections already open finish on their own. */
    public void close() {
        serverChannel.close().syncUninterruptibly();
    }
}
