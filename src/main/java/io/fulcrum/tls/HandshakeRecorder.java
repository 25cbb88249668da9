package io.fulcrum.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the negotiated protocol and cipher as the channel's {@link TlsInfo} when the handshake
 * completes, then leaves the pipeline. A failed handshake is counted and logged at debug level: the
 * SSL handler has already answered with an alert and closes the connection.
 */
final class HandshakeRecorder extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeRecorder.class);
    private final LongAdder failures;
    private String serverName;

    HandshakeRecorder(LongAdder failures) {
        this.failures = failures;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SniCompletionEvent sni) {
            serverName = sni.hostname();
        } else if (evt instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                if (ssl != null) {
                    SSLSession session = ssl.engine().getSession();
                    ctx.channel().attr(TlsInfo.KEY).set(new TlsInfo(session.getProtocol(), session.getCipherSuite(),
                            serverName, ssl.applicationProtocol()));
                }
            } else {
                failures.increment();
                LOG.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), done.cause().toString());
            }
            ctx.fireUserEventTriggered(evt);
            ctx.pipeline().remove(this);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
