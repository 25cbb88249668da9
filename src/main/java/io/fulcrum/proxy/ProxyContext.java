package io.fulcrum.proxy;

import io.fulcrum.balancing.StickyCookie;
import io.fulcrum.model.Protocol;
import io.fulcrum.model.TargetGroup;
import io.fulcrum.tls.TargetTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import java.net.InetSocketAddress;
import java.time.Clock;

/**
 * What every connection of the data plane shares: the transport, the target connection pools (HTTP/1.1
 * and HTTP/2), the counters, the stickiness cookie codec and the clock. Built once per server.
 */
public final class ProxyContext {
    /** Per-channel write buffer bounds: above high, stop reading the other side; below low, resume. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final Transport transport;
    private final EventLoopGroup workers;
    private final TargetConnectionPool pool = new TargetConnectionPool(TargetConnectionPool.DEFAULT_IDLE_TIMEOUT_NANOS);
    private final ProxyCounters counters = new ProxyCounters();
    private final Http2Targets http2Targets;
    private final StickyCookie stickyCookie;
    private final Clock clock;

    public ProxyContext(Transport transport, EventLoopGroup workers, byte[] stickinessSecret, Clock clock) {
        this.transport = transport;
        this.workers = workers;
        this.http2Targets = new Http2Targets(transport);
        this.stickyCookie = new StickyCookie(stickinessSecret);
        this.clock = clock;
    }

    public Transport transport() {
        return transport;
    }

    public EventLoopGroup workers() {
        return workers;
    }

    public ProxyCounters counters() {
        return counters;
    }

    public Clock clock() {
        return clock;
    }

    StickyCookie stickyCookie() {
        return stickyCookie;
    }

    TargetConnectionPool pool() {
        return pool;
    }

    /** HTTP/2 connections to the targets of HTTP2 and GRPC groups. */
    Http2Targets http2Targets() {
        return http2Targets;
    }

    /** Closes the pooled connections of a target that was removed. */
    public void purge(LiveTarget target) {
        pool.purge(target, workers);
    }

    /** A bootstrap for a plain HTTP connection to a target on the client connection's own event loop. */
    Bootstrap backendBootstrap(io.netty.channel.EventLoop loop, BackendConnection connection, int connectTimeoutMillis) {
        return backendBootstrap(loop, connection, connectTimeoutMillis, null);
    }

    /**
     * A bootstrap for a connection to a target on the client connection's own event loop.
     *
     * @param spec the target's group: an HTTPS group gets TLS first in the pipeline; null for plain HTTP
     */
    Bootstrap backendBootstrap(io.netty.channel.EventLoop loop, BackendConnection connection, int connectTimeoutMillis,
                               TargetGroup spec) {
        boolean tls = spec != null && spec.protocol() == Protocol.HTTPS;
        boolean verify = tls && spec.attributes().verifyTargetCertificate();
        TargetTls targetTls = tls ? TargetTls.shared() : null;
        return new Bootstrap()
                .group(loop)
                .channel(transport.channelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (targetTls != null) {
                            InetSocketAddress address = connection.target.address();
                            ch.pipeline().addLast("tls", targetTls.newHandler(ch.alloc(), address.getHostString(),
                                    address.getPort(), verify));
                        }
                        ch.pipeline().addLast("codec", new HttpClientCodec(new HttpDecoderConfig()
                                        .setMaxInitialLineLength(StrictRequestDecoder.MAX_REQUEST_LINE)
                                        .setMaxHeaderSize(StrictRequestDecoder.MAX_HEADERS)
                                        .setMaxChunkSize(StrictRequestDecoder.MAX_CHUNK),
                                        HttpClientCodec.DEFAULT_PARSE_HTTP_AFTER_CONNECT_REQUEST,
                                        HttpClientCodec.DEFAULT_FAIL_ON_MISSING_RESPONSE));
                        ch.pipeline().addLast("backend", connection);
                    }
                });
    }
}
