package io.fulcrum.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps a listener's client connections: at the cap the listening socket stops accepting (the kernel's
 * backlog holds the rest) and it resumes as connections close. No connection is refused or crashed.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private volatile Channel serverChannel;

    public ConnectionLimiter(int max) {
        this.max = max;
    }

    /** The listening channel whose accepting pauses at the cap; set once it is bound. */
    public void serverChannel(Channel channel) {
        this.serverChannel = channel;
    }

    /** Client connections open now. */
    public int open() {
        return open.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() >= max) {
            updateAccepting();
        }
        ctx.channel().closeFuture().addListener(f -> {
            if (open.decrementAndGet() == max - 1) {
                updateAccepting();
            }
        });
        ctx.fireChannelActive();
    }

    /**
     * Pauses or resumes accepting to match the count now. Runs on the listening channel's own event loop:
     * from another thread, the epoll transport keeps honouring the accept already requested and lets one
     * connection more in. Tasks run in order and each reads the current count, so the last one wins.
     */
    private void updateAccepting() {
        Channel server = serverChannel;
        if (server != null && server.isOpen()) {
            try {
                server.eventLoop().execute(() -> server.config().setAutoRead(open.get() < max));
            } catch (RejectedExecutionException e) {
                // the listener is shutting down: nothing left to accept
            }
        }
    }
}
