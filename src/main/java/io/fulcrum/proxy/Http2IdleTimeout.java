package io.fulcrum.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The listener's idle timeout on an HTTP/2 connection: with no stream open and no byte either way for
 * that long, the connection is closed with a GOAWAY. An open stream is timed by its own request
 * handler instead (request body stalls, the target response timeout).
 */
final class Http2IdleTimeout extends IdleStateHandler {
    private final Http2FrameCodec codec;

    Http2IdleTimeout(Http2FrameCodec codec, long idleTimeoutNanos) {
        super(0, 0, idleTimeoutNanos, TimeUnit.NANOSECONDS);
        this.codec = codec;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        if (event.state() == IdleState.ALL_IDLE && codec.connection().numActiveStreams() == 0) {
            ctx.channel().close(); // through the codec, which sends GOAWAY first
        }
    }
}
