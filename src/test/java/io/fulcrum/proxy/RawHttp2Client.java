package io.fulcrum.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2FrameWriter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An HTTP/2 client at the frame level (Netty's frame reader and writer, no connection state), so a test
 * can send what a well-behaved client never would: HEADERS then RST_STREAM in a loop, endless
 * CONTINUATION frames, more header bytes than the server's SETTINGS allow. It records the server's SETTINGS,
 * GOAWAY, and the status and (small) body of each answered stream.
 */
final class RawHttp2Client implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final Http2FrameWriter writer = new DefaultHttp2FrameWriter();
    final CompletableFuture<Http2Settings> settings = new CompletableFuture<>();
    /** The GOAWAY's error code. */
    final CompletableFuture<Long> goAway = new CompletableFuture<>();
    /** Stream id to its response's :status. */
    final Map<Integer, String> statuses = new ConcurrentHashMap<>();
    /** Stream id to its response body, once the stream ended. */
    final Map<Integer, String> bodies = new ConcurrentHashMap<>();
    /** Stream id to its response's first HEADERS frame, and to its trailers. */
    final Map<Integer, Http2Headers> heads = new ConcurrentHashMap<>();
    final Map<Integer, Http2Headers> trailers = new ConcurrentHashMap<>();
    /** Streams whose response ended with its first HEADERS frame. */
    final Set<Integer> endedOnHeaders = ConcurrentHashMap.newKeySet();
    /** Stream id to the error code of the server's RST_STREAM. */
    final Map<Integer, Long> resets = new ConcurrentHashMap<>();
    private final Map<Integer, StringBuilder> receiving = new ConcurrentHashMap<>();
    private ChannelHandlerContext ctx;

    RawHttp2Client(int port) {
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Frames());
                    }
                })
                .connect("127.0.0.1", port).syncUninterruptibly().channel();
        run(c -> {
            c.write(Http2CodecUtil.connectionPrefaceBuf());
            writer.writeSettings(c, new Http2Settings(), c.newPromise());
        });
    }

    static Http2Headers get(String path) {
        return new DefaultHttp2Headers().method("GET").scheme("http").authority("127.0.0.1").path(path);
    }

    Channel channel() {
        return channel;
    }

    Http2FrameWriter writer() {
        return writer;
    }

    /** Runs {@code frames} on the connection's event loop (the writer's state is not thread-safe), then flushes. */
    void run(Consumer<ChannelHandlerContext> frames) {
        group.submit(() -> {
            frames.accept(ctx);
            ctx.flush();
        }).syncUninterruptibly();
    }

    private final class Frames extends ByteToMessageDecoder {
        private final DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader(false);
        private final Http2FrameAdapter listener = new Http2FrameAdapter() {
            @Override
            public void onSettingsRead(ChannelHandlerContext c, Http2Settings received) {
                settings.complete(received);
                writer.writeSettingsAck(c, c.newPromise());
                c.flush();
            }

            @Override
            public void onRstStreamRead(ChannelHandlerContext c, int streamId, long errorCode) {
                resets.put(streamId, errorCode);
            }

            @Override
            public void onGoAwayRead(ChannelHandlerContext c, int lastStreamId, long errorCode, ByteBuf debugData) {
                goAway.complete(errorCode);
            }

            @Override
            public void onHeadersRead(ChannelHandlerContext c, int streamId, Http2Headers headers, int padding,
                                      boolean endOfStream) {
                if (headers.status() != null) {
                    statuses.put(streamId, headers.status().toString());
                    heads.put(streamId, headers);
                    if (endOfStream) {
                        endedOnHeaders.add(streamId);
                    }
                } else {
                    trailers.put(streamId, headers);
                }
                if (endOfStream) {
                    StringBuilder body = receiving.remove(streamId);
                    bodies.put(streamId, body == null ? "" : body.toString());
                }
            }

            @Override
            public void onHeadersRead(ChannelHandlerContext c, int streamId, Http2Headers headers, int streamDependency,
                                      short weight, boolean exclusive, int padding, boolean endOfStream) {
                onHeadersRead(c, streamId, headers, padding, endOfStream);
            }

            @Override
            public int onDataRead(ChannelHandlerContext c, int streamId, ByteBuf data, int padding, boolean endOfStream) {
                StringBuilder body = receiving.computeIfAbsent(streamId, id -> new StringBuilder());
                body.append(data.toString(java.nio.charset.StandardCharsets.UTF_8));
                if (endOfStream) {
                    bodies.put(streamId, receiving.remove(streamId).toString());
                }
                return data.readableBytes() + padding;
            }
        };

        @Override
        public void handlerAdded(ChannelHandlerContext c) {
            ctx = c;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
            c.close(); // the server hung up on a flood: expected here, and recorded by goAway
        }

        @Override
        protected void decode(ChannelHandlerContext c, ByteBuf in, List<Object> out) throws Exception {
            reader.readFrame(c, in, listener);
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
