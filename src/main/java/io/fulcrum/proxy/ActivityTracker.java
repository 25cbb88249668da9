package io.fulcrum.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Sits in front of the decoder and tells the frontend when bytes arrive, so it can time a request
 * head from its first byte (slowloris) and an idle connection from its last; and counts the bytes
 * read and written on the wire for the metrics and the access log.
 */
final class ActivityTracker extends ChannelDuplexHandler {
    private final HttpFrontendHandler frontend;

    ActivityTracker(HttpFrontendHandler frontend) {
        this.frontend = frontend;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        frontend.onBytes();
        if (msg instanceof ByteBuf bytes) {
            frontend.recorder.received(bytes.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf bytes) {
            frontend.recorder.sent(bytes.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
