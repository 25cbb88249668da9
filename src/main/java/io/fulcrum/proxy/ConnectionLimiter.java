package io.fulcrum.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps a listener's client connections: at the cap the listening socket stops accepting (the kernel's
 * backlog holds the rest) and it resumes as connections close. No connection is refused or crashed.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private volatile Channel serverChannel;

    ConnectionLimiter(int max) {
        this.max = max;
    }

    void serverChannel(Channel channel) {
        this.serverChannel = channel;
    }

    int open() {
        return open.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() >= max) {
            Channel server = serverChannel;
            if (server != null) {
                server.config().setAutoRead(false);
            }
        }
        ctx.channel().closeFuture().addListener(f -> {
            if (open.decrementAndGet() < max) {
                Channel server = serverChannel;
                if (server != null && !server.config().isAutoRead()) {
                    server.config().setAutoRead(true);
                }
            }
        });
        ctx.fireChannelActive();
    }
}
