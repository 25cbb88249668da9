package io.fulcrum.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits in front of the decoder and tells the frontend when bytes arrive, so it can time a request
 * head from its first byte (slowloris) and an idle connection from its last.
 */
final class ActivityTracker extends ChannelInboundHandlerAdapter {
    private final HttpFrontendHandler frontend;

    ActivityTracker(HttpFrontendHandler frontend) {
        this.frontend = frontend;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        frontend.onBytes();
        ctx.fireChannelRead(msg);
    }
}
