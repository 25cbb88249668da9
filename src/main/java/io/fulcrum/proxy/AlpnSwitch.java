package io.fulcrum.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** After an HTTPS connection's handshake, builds its HTTP/2 or HTTP/1.1 pipeline as ALPN chose. */
final class AlpnSwitch extends ApplicationProtocolNegotiationHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AlpnSwitch.class);

    private final ProxyContext context;
    private final ListenerSlot slot;

    AlpnSwitch(ProxyContext context, ListenerSlot slot) {
        super(ApplicationProtocolNames.HTTP_1_1); // a client without ALPN speaks HTTP/1.1
        this.context = context;
        this.slot = slot;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            HttpListener.configureHttp2(ctx.pipeline(), context, slot, true);
        } else {
            HttpListener.configureHttp1(ctx.pipeline(), context, slot, true);
        }
    }

    /** A failed handshake is counted by the TLS recorder; one log line per client would flood the log. */
    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
