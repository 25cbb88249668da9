package io.fulcrum.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/2-only target (h2c with prior knowledge, or TLS when given an SslContext; Netty's server codec) answering gRPC-style: HEADERS,
 * then DATA "id path bodyLength", then trailers {@code grpc-status: 0, x-trailer: done}; for
 * {@code /trailers-only} and ALB's health check path a single HEADERS frame ending the stream with
 * {@code grpc-status: 12} (the latter's status settable).
 * It records each request's headers and counts its connections.
 */
final class Http2Backend implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final String id;
    final Queue<Http2Headers> requests = new ConcurrentLinkedQueue<>();
    final AtomicInteger connections = new AtomicInteger();
    /** The grpc-status of the answer to ALB's health check path (a real gRPC server has no such method: 12). */
    volatile String healthCheckStatus = "12";

    Http2Backend(String id) {
        this(id, null);
    }

    /** @param tls the server's TLS (with its ALPN choice), or null for h2c */
    Http2Backend(String id, SslContext tls) {
        this.id = id;
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                                new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                                    @Override
                                    protected void initChannel(Channel stream) {
                                        stream.pipeline().addLast(new Answer());
                                    }
                                }));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    String address() {
        return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    private final class Answer extends ChannelInboundHandlerAdapter {
        private Http2Headers request;
        private int bodyLength;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            boolean end = false;
            if (msg instanceof Http2HeadersFrame headers) {
                if (request == null) {
                    request = headers.headers();
                    requests.add(request);
                }
                end = headers.isEndStream();
            } else if (msg instanceof Http2DataFrame data) {
                bodyLength += data.content().readableBytes();
                end = data.isEndStream();
            }
            ReferenceCountUtil.release(msg);
            if (end) {
                answer(ctx);
            }
        }

        private void answer(ChannelHandlerContext ctx) {
            String path = request.path().toString();
            if (path.equals("/trailers-only") || path.equals("/AWS.ALB/healthcheck")) {
                String status = path.equals("/trailers-only") ? "12" : healthCheckStatus;
                ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                        .add("content-type", "application/grpc").add("grpc-status", status)
                        .add("grpc-message", "no such method"), true));
                return;
            }
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                    .add("content-type", "text/plain").add("x-backend-id", id), false));
            byte[] body = (id + " " + path + " " + bodyLength).getBytes(StandardCharsets.UTF_8);
            ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), false));
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers()
                    .add("grpc-status", "0").add("x-trailer", "done"), true));
        }
    }

    static String text(CharSequence value) {
        return value == null ? null : value.toString();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
