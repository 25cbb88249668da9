package io.fulcrum.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;

/**
 * One connection to a target (or one HTTP/2 stream to it), and the last handler of its pipeline. While it serves a request its
 * owner is the client connection's frontend; in the pool it has no owner, and anything the target
 * sends then (it should send nothing) closes it.
 */
final class BackendConnection extends ChannelInboundHandlerAdapter {
    final LiveTarget target;
    /** A stream of an HTTP/2 connection: one request, then closed, never pooled. */
    final boolean stream;
    private final TargetConnectionPool pool;
    Channel channel;
    private HttpFrontendHandler owner;
    /** When it went back to the pool (System.nanoTime). */
    long idleSinceNanos;

    BackendConnection(LiveTarget target, TargetConnectionPool pool) {
        this(target, pool, false);
    }

    BackendConnection(LiveTarget target, TargetConnectionPool pool, boolean stream) {
        this.target = target;
        this.pool = pool;
        this.stream = stream;
    }

    void assign(HttpFrontendHandler frontend) {
        this.owner = frontend;
    }

    void release() {
        this.owner = null;
    }

    boolean idle() {
        return owner == null;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // set here, not in channelActive: the connect future's listeners run before channelActive
        this.channel = ctx.channel();
        if (!stream) {
            target.track(channel); // a stream goes with its connection, which is tracked
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        HttpFrontendHandler frontend = owner;
        if (frontend == null) {
            // a target must not speak on an idle connection: drop it rather than misattribute bytes
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        frontend.onBackendMessage(this, (HttpObject) msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        HttpFrontendHandler frontend = owner;
        if (frontend != null) {
            frontend.onBackendReadComplete(this);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        HttpFrontendHandler frontend = owner;
        if (frontend != null && ctx.channel().isWritable()) {
            frontend.onBackendWritable(this);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        HttpFrontendHandler frontend = owner;
        owner = null;
        if (frontend != null) {
            frontend.onBackendClosed(this);
        } else {
            pool.forget(this);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // resets and decoder errors: closing reports them to the owner through channelInactive
        HttpFrontendHandler frontend = owner;
        if (frontend != null) {
            frontend.onBackendError(this, cause);
        }
        ctx.close();
    }
}
