package io.fulcrum.proxy;

import io.fulcrum.tls.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import java.net.InetSocketAddress;

/**
 * One open HTTP or HTTPS listener: a bound server socket whose connections proxy through its slot's
 * routing, over HTTP/1.1 or HTTP/2 (h2c with prior knowledge on HTTP; "h2" by ALPN on HTTPS). With TLS
 * set, each new connection is terminated with it first; the TLS can be swapped (or removed) on a
 * reload, for new connections only.
 */
public final class HttpListener {
    /** The name of the handler in front of the HTTP/1 decoder that reports arriving bytes. */
    static final String ACTIVITY = "activity";

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
                // no TCP_NODELAY child option: Netty's socket channels turn it on when made, and setting it
                // again cost each accepted connection one more system call
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, ProxyContext.WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ServerTls connectionTls = tlsHolder.tls;
                        if (connectionTls == null) {
                            ch.pipeline().addLast("limit", limiter);
                            configureCleartext(ch.pipeline(), context, slot);
                            return;
                        }
                        connectionTls.addTo(ch.pipeline());
                        // counted before anything else, so a failed handshake frees its slot too
                        ch.pipeline().addFirst("limit", limiter);
                        ch.pipeline().addLast("alpn", new AlpnSwitch(context, slot));
                    }
                });
        InetSocketAddress address = new InetSocketAddress(slot.bindAddress(), slot.port());
        try {
            Channel channel = bootstrap.bind(address).syncUninterruptibly().channel();
            limiter.serverChannel(channel);
            return new HttpListener(slot, channel, limiter, tlsHolder);
        } catch (Exception e) {
            throw ListenerBindException.bindFailed(slot.bindAddress() + ":" + slot.port(), e);
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

    /**
     * A cleartext connection: HTTP/1.1, or HTTP/2 when the client opens with the HTTP/2 preface (h2c with
     * prior knowledge). The HTTP/1 handlers go in at once, so a silent connection is timed out as usual.
     */
    static void configureCleartext(ChannelPipeline pipeline, ProxyContext context, ListenerSlot slot) {
        configureHttp1(pipeline, context, slot, false);
        pipeline.addAfter(ACTIVITY, "detect", new Http2PrefaceSniffer(context, slot));
    }

    /**
     * Appends the HTTP/1.1 handlers to {@code pipeline} (after TLS, when the connection has it): one
     * {@link HttpFrontendHandler} for the connection. May be called once the channel is active (after
     * a TLS handshake, say, when ALPN chose "http/1.1" or nothing).
     */
    public static void configureHttp1(ChannelPipeline pipeline, ProxyContext context, ListenerSlot slot,
                                      boolean secure) {
        ProxyResponseEncoder encoder = new ProxyResponseEncoder();
        HttpFrontendHandler frontend = new HttpFrontendHandler(context, slot, encoder, secure);
        pipeline.addLast(ACTIVITY, new ActivityTracker(frontend))
                .addLast("decoder", new StrictRequestDecoder())
                .addLast("encoder", encoder)
                .addLast("frontend", frontend);
    }

    /**
     * Appends the HTTP/2 handlers to {@code pipeline} (after TLS, when ALPN chose "h2"): the connection's
     * frame codec with its limits, and one child channel per stream, each routed like an HTTP/1.1
     * request by its own {@link HttpFrontendHandler}; targets are spoken to over HTTP/1.1. May be called
     * once the channel is active: the server's SETTINGS go out at once.
     */
    public static void configureHttp2(ChannelPipeline pipeline, ProxyContext context, ListenerSlot slot,
                                      boolean secure) {
        Http2FrameCodec codec = Http2Streams.newCodec();
        long idleTimeoutNanos = slot.routing().loadBalancer().attributes().idleTimeout().toNanos();
        pipeline.addLast("h2idle", new Http2IdleTimeout(codec, idleTimeoutNanos))
                .addLast("h2codec", codec)
                .addLast("h2streams", new Http2MultiplexHandler(
                        new Http2Streams(context, slot, secure, pipeline.channel())))
                .addLast("h2errors", Http2Streams.CONNECTION_ERRORS);
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
