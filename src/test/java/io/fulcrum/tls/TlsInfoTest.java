package io.fulcrum.tls;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.netty.util.ReferenceCountUtil;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The negotiated protocol, cipher, SNI name and ALPN choice are on the client channel for the access log. */
class TlsInfoTest {
    @TempDir
    Path dir;

    @Test
    void theHandshakeLeavesItsParametersOnTheChannel() throws Exception {
        TestCertificates.Written certificate = TestCertificates.write(dir, "site", "site.test");
        ServerTls tls = ServerTls.load(List.of(certificate.files()), SslPolicy.byName("ELBSecurityPolicy-TLS13-1-2-2021-06"),
                Clock.systemUTC());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ReferenceCountUtil.release(msg);
                                    TlsInfo info = TlsInfo.of(ctx.channel());
                                    ctx.writeAndFlush(Unpooled.copiedBuffer(info + " " + info.awsCipherName() + "\n",
                                            StandardCharsets.UTF_8));
                                }
                            });
                            tls.addTo(ch.pipeline());
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
                try (SSLSocket socket = (SSLSocket) TestCertificates.trustingEverything().getSocketFactory()
                        .createSocket("127.0.0.1", port)) {
                    SSLParameters parameters = socket.getSSLParameters();
                    parameters.setServerNames(List.of(new SNIHostName("site.test")));
                    parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
                    parameters.setProtocols(new String[] {protocol});
                    socket.setSSLParameters(parameters);
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write('x');
                    String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                            .readLine();
                    if (protocol.equals("TLSv1.2")) {
                        assertThat(line).isEqualTo("TlsInfo[protocol=TLSv1.2, cipherSuite=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,"
                                + " serverName=site.test, applicationProtocol=h2] ECDHE-ECDSA-AES128-GCM-SHA256");
                    } else {
                        assertThat(line).startsWith("TlsInfo[protocol=TLSv1.3, cipherSuite=TLS_AES_")
                                .contains("serverName=site.test, applicationProtocol=h2]");
                    }
                }
            }
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }
}
