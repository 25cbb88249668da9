package io.fulcrum.tcp;

import io.fulcrum.tls.LoadedCertificate;
import io.fulcrum.tls.TestCertificates;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Netty TLS server on loopback with a self-signed certificate (JDK TLS), for TLS target groups. In echo
 * mode it echoes what it decrypts; in reply-after-end mode it keeps what it reads and writes it back only
 * after the peer's close_notify (that needs the balancer to pass a half-close on). With
 * {@code proxyProtocol}, each connection must start with a Proxy Protocol v2 header in clear, before the
 * TLS handshake, parsed into {@link #headers()}.
 */
final class TlsEchoTarget implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final boolean replyAfterEnd;
    private final TestCertificates.Written certificate;
    private final AtomicInteger handshakes = new AtomicInteger();
    private final AtomicInteger failedHandshakes = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong bytesRead = new AtomicLong();
    private final List<EchoBackend.ProxyHeader> headers = new CopyOnWriteArrayList<>();

    TlsEchoTarget(Path directory, String name, boolean proxyProtocol, boolean replyAfterEnd) throws Exception {
        this.replyAfterEnd = replyAfterEnd;
        this.certificate = TestCertificates.write(directory, name, name + ".test");
        LoadedCertificate loaded = LoadedCertificate.load(certificate.files(), Clock.systemUTC());
        SslContext context = SslContextBuilder.forServer(loaded.key(), certificate.x509())
                .sslProvider(SslProvider.JDK).build();
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (proxyProtocol) {
                            ch.pipeline().addLast(new HeaderReader());
                        }
                        ch.pipeline().addLast(context.newHandler(ch.alloc()), new Echo());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    String address() {
        return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Handshakes completed. */
    int handshakes() {
        return handshakes.get();
    }

    /** Handshakes that failed (a client that refused the certificate, or one that spoke no TLS). */
    int failedHandshakes() {
        return failedHandshakes.get();
    }

    int openConnections() {
        return open.get();
    }

    /** Plain bytes decrypted. */
    long bytesRead() {
        return bytesRead.get();
    }

    List<EchoBackend.ProxyHeader> headers() {
        return headers;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Reads the Proxy Protocol v2 header in clear, then gets out of the way of the TLS handler. */
    private final class HeaderReader extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (in.readableBytes() < 16) {
                return;
            }
            int length = in.getUnsignedShort(in.readerIndex() + 14);
            if (in.readableBytes() < 16 + length) {
                return;
            }
            int family = in.getUnsignedByte(in.readerIndex() + 13);
            int versionCommand = in.getUnsignedByte(in.readerIndex() + 12);
            in.skipBytes(16);
            int addressBytes = family == 0x11 ? 4 : 16;
            byte[] source = new byte[addressBytes];
            byte[] destination = new byte[addressBytes];
            in.readBytes(source).readBytes(destination);
            int sourcePort = in.readUnsignedShort();
            int destinationPort = in.readUnsignedShort();
            in.skipBytes(length - 2 * addressBytes - 4);
            try {
                headers.add(new EchoBackend.ProxyHeader(versionCommand, family,
                        java.net.InetAddress.getByAddress(source).getHostAddress(), sourcePort,
                        java.net.InetAddress.getByAddress(destination).getHostAddress(), destinationPort));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
            ctx.pipeline().remove(this); // what follows (the ClientHello) goes to the TLS handler
        }
    }

    private final class Echo extends ChannelInboundHandlerAdapter {
        private ByteBuf kept;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            open.incrementAndGet();
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            open.decrementAndGet();
            if (kept != null) {
                kept.release();
                kept = null;
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf data = (ByteBuf) msg;
            bytesRead.addAndGet(data.readableBytes());
            if (replyAfterEnd) {
                if (kept == null) {
                    kept = ctx.alloc().buffer();
                }
                kept.writeBytes(data);
                data.release();
            } else {
                ctx.write(data);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent done) {
                (done.isSuccess() ? handshakes : failedHandshakes).incrementAndGet();
            } else if (event instanceof SslCloseCompletionEvent) {
                // the peer's close_notify: answer what was kept (TLS 1.3 lets us still write), then close
                ByteBuf reply = kept == null ? ctx.alloc().buffer(0) : kept;
                kept = null;
                ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
