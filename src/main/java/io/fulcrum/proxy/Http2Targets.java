package io.fulcrum.proxy;

import io.fulcrum.model.Protocol;
import io.fulcrum.model.TargetGroup;
import io.fulcrum.tls.TargetTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.IdentityHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/2 to the targets of HTTP2 and GRPC groups (h2c with prior knowledge on HTTP groups, TLS with h2
 * chosen by ALPN on HTTPS ones): one connection per target
 * per event loop, shared by every request of that loop, each request on a stream of its own. A stream
 * is a child channel whose frames become HTTP/1 messages for a {@link BackendConnection}, so the
 * frontend treats it as a target connection that is never pooled. Streams above the target's
 * SETTINGS_MAX_CONCURRENT_STREAMS wait in the codec until one ends. Per loop, so no lock.
 */
final class Http2Targets {
    private static final Logger LOG = LoggerFactory.getLogger(Http2Targets.class);
    private static final Http2StreamFrameToHttpObjectCodec STREAM_CODEC = new Http2StreamFrameToHttpObjectCodec(false);
    /** Server push is not asked for (SETTINGS_ENABLE_PUSH 0); anything else the target opens is dropped. */
    private static final ChannelHandler NO_PUSH = new NoInboundStreams();

    private final Transport transport;
    private final FastThreadLocal<Map<LiveTarget, Parent>> connections = new FastThreadLocal<>() {
        @Override
        protected Map<LiveTarget, Parent> initialValue() {
            return new IdentityHashMap<>();
        }
    };

    /**
     * A connection to a target and when it can carry streams: at once after the connect for h2c, after
     * the TLS handshake chose h2 for HTTPS.
     */
    private record Parent(Channel channel, Future<Channel> ready) {
    }

    Http2Targets(Transport transport) {
        this.transport = transport;
    }

    /**
     * Opens a stream to {@code target} for {@code connection} on {@code loop} (the caller's), connecting
     * first when this loop has no open connection to it. Must run on {@code loop}.
     *
     * @param spec the target's group: an HTTPS group's connections are TLS with h2 chosen by ALPN
     */
    Future<Http2StreamChannel> openStream(LiveTarget target, EventLoop loop, BackendConnection connection,
                                          int connectTimeoutMillis, TargetGroup spec) {
        Promise<Http2StreamChannel> promise = loop.newPromise();
        Map<LiveTarget, Parent> map = connections.get();
        Parent parent = map.get(target);
        if (parent == null || parent.ready().isDone() && !usable(parent)) {
            parent = connect(target, loop, connectTimeoutMillis, spec);
            map.put(target, parent);
            Parent mine = parent;
            parent.channel().closeFuture().addListener(f -> {
                if (map.get(target) == mine) {
                    map.remove(target);
                }
            });
        }
        Parent chosen = parent;
        if (chosen.ready().isDone()) {
            open(chosen, connection, promise);
        } else {
            chosen.ready().addListener(f -> open(chosen, connection, promise));
        }
        return promise;
    }

    /** Ready, open, and the target has not said GOAWAY (it takes no new stream then). */
    private static boolean usable(Parent parent) {
        Channel channel = parent.channel();
        Http2FrameCodec codec = channel.pipeline().get(Http2FrameCodec.class);
        return parent.ready().isSuccess() && channel.isActive() && codec != null
                && !codec.connection().goAwayReceived();
    }

    private Parent connect(LiveTarget target, EventLoop loop, int connectTimeoutMillis, TargetGroup spec) {
        boolean tls = spec != null && spec.protocol() == Protocol.HTTPS;
        boolean verify = tls && spec.attributes().verifyTargetCertificate();
        Promise<Channel> ready = loop.newPromise();
        ChannelFuture connecting = new Bootstrap()
                .group(loop)
                .channel(transport.channelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, ProxyContext.WATER_MARK)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        target.track(ch); // a finished drain closes it, and every stream with it
                        if (tls) {
                            InetSocketAddress address = target.address();
                            ch.pipeline()
                                    .addLast("tls", TargetTls.shared().newH2Handler(ch.alloc(),
                                            address.getHostString(), address.getPort(), verify))
                                    .addLast("alpn", new AlpnH2(target, ready));
                        } else {
                            addHttp2(ch.pipeline());
                        }
                    }
                })
                .connect(target.address());
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                ready.tryFailure(f.cause());
            } else if (!tls) {
                ready.trySuccess(connecting.channel());
            }
        });
        return new Parent(connecting.channel(), ready);
    }

    /** The HTTP/2 client codec and its streams, last in the pipeline (after TLS, if any). */
    private static void addHttp2(ChannelPipeline pipeline) {
        pipeline.addLast("h2codec", Http2FrameCodecBuilder.forClient()
                        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false)
                                .maxHeaderListSize(Http2Streams.MAX_HEADER_LIST_SIZE))
                        .encoderEnforceMaxConcurrentStreams(true)
                        .validateHeaders(true)
                        .build())
                .addLast("h2streams", new Http2MultiplexHandler(NO_PUSH))
                .addLast("h2errors", Http2Streams.CONNECTION_ERRORS);
    }

    private static void open(Parent parent, BackendConnection connection, Promise<Http2StreamChannel> promise) {
        if (!parent.ready().isSuccess()) {
            promise.tryFailure(parent.ready().cause());
            return;
        }
        new Http2StreamChannelBootstrap(parent.channel())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel stream) {
                        stream.pipeline()
                                .addLast("codec", STREAM_CODEC)
                                .addLast("h2", new Http2TargetStreamAdapter())
                                .addLast("backend", connection);
                    }
                })
                .open()
                .addListener(f -> {
                    if (f.isSuccess()) {
                        promise.trySuccess((Http2StreamChannel) f.getNow());
                    } else {
                        LOG.debug("No stream to {}: {}", parent.channel().remoteAddress(), f.cause().toString());
                        promise.tryFailure(f.cause());
                    }
                });
    }

    /**
     * Waits for the TLS handshake with a target of an HTTPS group and its ALPN choice: h2 puts the HTTP/2
     * codec in place and the connection is ready; anything else fails it, and so the requests waiting
     * for it (502), with a message that says so.
     */
    private static final class AlpnH2 extends ChannelInboundHandlerAdapter {
        private final LiveTarget target;
        private final Promise<Channel> ready;

        AlpnH2(LiveTarget target, Promise<Channel> ready) {
            this.target = target;
            this.ready = ready;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (!(event instanceof SslHandshakeCompletionEvent done)) {
                ctx.fireUserEventTriggered(event);
                return;
            }
            if (!done.isSuccess()) {
                ready.tryFailure(done.cause()); // the TLS handler closes the connection
                return;
            }
            String chosen = ctx.pipeline().get(SslHandler.class).applicationProtocol();
            if (ApplicationProtocolNames.HTTP_2.equals(chosen)) {
                ChannelPipeline pipeline = ctx.pipeline();
                pipeline.remove(this);
                addHttp2(pipeline); // sends the connection preface now: the channel is active
                ready.trySuccess(ctx.channel());
                return;
            }
            NotHttp2Exception refused = new NotHttp2Exception(target.key(), chosen);
            LOG.warn("{}", refused.getMessage());
            ready.tryFailure(refused);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ready.tryFailure(new ClosedChannelException());
            ctx.fireChannelInactive();
        }
    }

    /** A target of an HTTP2 or GRPC group over HTTPS that did not choose h2 by ALPN. */
    static final class NotHttp2Exception extends SSLException {
        NotHttp2Exception(String target, String chosen) {
            super("Target " + target + " did not choose HTTP/2 by ALPN (chose: " + (chosen == null ? "none" : chosen)
                    + "; expected: h2, as an HTTP2 or GRPC target group with protocol HTTPS needs)");
        }
    }

    @ChannelHandler.Sharable
    private static final class NoInboundStreams extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }
}
