package io.fulcrum.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.BindException;
import java.net.InetSocketAddress;

/** One open HTTP listener: a bound server socket whose connections proxy through its slot's routing. */
public final class HttpListener {
    private final ListenerSlot slot;
    private final Channel serverChannel;
    private final ConnectionLimiter limiter;

    private HttpListener(ListenerSlot slot, Channel serverChannel, ConnectionLimiter limiter) {
        this.slot = slot;
        this.serverChannel = serverChannel;
        this.limiter = limiter;
    }

    /**
     * Binds a listener.
     *
     * @throws ListenerBindException when the address cannot be bound (in use, not local, no permission)
     */
    public static HttpListener open(ProxyContext context, EventLoopGroup boss, ListenerSlot slot, int maxConnections)
            throws ListenerBindException {
        ConnectionLimiter limiter = new ConnectionLimiter(maxConnections);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, context.workers())
                .channel(context.transport().serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, ProxyContext.WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ProxyResponseEncoder encoder = new ProxyResponseEncoder();
                        HttpFrontendHandler frontend = new HttpFrontendHandler(context, slot, encoder);
                        ch.pipeline()
                                .addLast("limit", limiter)
                                .addLast("activity", new ActivityTracker(frontend))
                                .addLast("decoder", new StrictRequestDecoder())
                                .addLast("encoder", encoder)
                                .addLast("frontend", frontend);
                    }
                });
        InetSocketAddress address = new InetSocketAddress(slot.bindAddress(), slot.port());
        try {
            Channel channel = bootstrap.bind(address).syncUninterruptibly().channel();
            limiter.serverChannel(channel);
            return new HttpListener(slot, channel, limiter);
        } catch (Exception e) {
            String why = e instanceof BindException || e.getMessage() != null && e.getMessage().contains("in use")
                    ? "address already in use" : String.valueOf(e.getMessage());
            throw new ListenerBindException("cannot listen on " + slot.bindAddress() + ":" + slot.port() + ": " + why, e);
        }
    }

    public ListenerSlot slot() {
        return slot;
    }

    /** The bound port (useful when the config asked for port 0 in tests). */
    public int boundPort() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public int openConnections() {
        return limiter.open();
    }

    /** Stops accepting; connections already open finish on their own. */
    public void close() {
        serverChannel.close().syncUninterruptibly();
    }
}
