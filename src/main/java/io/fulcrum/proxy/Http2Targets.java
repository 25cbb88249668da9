package io.fulcrum.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.IdentityHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/2 (h2c with prior knowledge) to the targets of HTTP2 and GRPC groups: one connection per target
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
    private final FastThreadLocal<Map<LiveTarget, ChannelFuture>> connections = new FastThreadLocal<>() {
        @Override
        protected Map<LiveTarget, ChannelFuture> initialValue() {
            return new IdentityHashMap<>();
        }
    };

    Http2Targets(Transport transport) {
        this.transport = transport;
    }

    /**
     * Opens a stream to {@code target} for {@code connection} on {@code loop} (the caller's), connecting
     * first when this loop has no open connection to it. Must run on {@code loop}.
     */
    Future<Http2StreamChannel> openStream(LiveTarget target, EventLoop loop, BackendConnection connection,
                                          int connectTimeoutMillis) {
        Promise<Http2StreamChannel> promise = loop.newPromise();
        Map<LiveTarget, ChannelFuture> map = connections.get();
        ChannelFuture parent = map.get(target);
        if (parent == null || parent.isDone() && !usable(parent.channel())) {
            parent = connect(target, loop, connectTimeoutMillis);
            map.put(target, parent);
            ChannelFuture mine = parent;
            parent.channel().closeFuture().addListener(f -> {
                if (map.get(target) == mine) {
                    map.remove(target);
                }
            });
        }
        if (parent.isDone()) {
            open(parent, connection, promise);
        } else {
            parent.addListener(f -> open((ChannelFuture) f, connection, promise));
        }
        return promise;
    }

    /** Open, and the target has not said GOAWAY (it takes no new stream then). */
    private static boolean usable(Channel parent) {
        Http2FrameCodec codec = parent.pipeline().get(Http2FrameCodec.class);
        return parent.isActive() && codec != null && !codec.connection().goAwayReceived();
    }

    private ChannelFuture connect(LiveTarget target, EventLoop loop, int connectTimeoutMillis) {
        return new Bootstrap()
                .group(loop)
                .channel(transport.channelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, ProxyContext.WATER_MARK)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        target.track(ch); // a finished drain closes it, and every stream with it
                        ch.pipeline()
                                .addLast("h2codec", Http2FrameCodecBuilder.forClient()
                                        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false)
                                                .maxHeaderListSize(Http2Streams.MAX_HEADER_LIST_SIZE))
                                        .encoderEnforceMaxConcurrentStreams(true)
                                        .validateHeaders(true)
                                        .build())
                                .addLast("h2streams", new Http2MultiplexHandler(NO_PUSH))
                                .addLast("h2errors", Http2Streams.CONNECTION_ERRORS);
                    }
                })
                .connect(target.address());
    }

    private static void open(ChannelFuture parent, BackendConnection connection, Promise<Http2StreamChannel> promise) {
        if (!parent.isSuccess()) {
            promise.tryFailure(parent.cause());
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

    @ChannelHandler.Sharable
    private static final class NoInboundStreams extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }
}
