package io.fulcrum.tcp;

import io.fulcrum.proxy.ConnectionLimiter;
import io.fulcrum.proxy.ListenerBindException;
import io.fulcrum.proxy.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One open TCP or TLS listener: a bound server socket whose connections are relayed to its routing's
 * target group, decrypted first on a TLS listener.
 */
public final class TcpListener {
    /** Per-channel write buffer bounds: above high the other side stops reading; below low it resumes. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final String key;
    private final Transport transport;
    private final TcpCounters counters;
    private final ConnectionLimiter limiter;
    private volatile TcpRouting routing;
    private Channel serverChannel;

    private TcpListener(String key, Transport transport, TcpCounters counters, ConnectionLimiter limiter,
                        TcpRouting routing) {
        this.key = key;
        this.transport = transport;
        this.counters = counters;
        this.limiter = limiter;
        this.routing = routing;
    }

    /**
     * Binds a TCP listener at the routing's listener address and port; accepted connections run on
     * {@code workers}, each with its target connection on the same event loop.
     *
     * @param counters the server's totals, which the listener's own counters add to
     *
     * @throws ListenerBindException when the address cannot be bound (in use, not local, no permission)
     */
    public static TcpListener open(Transport transport, EventLoopGroup boss, EventLoopGroup workers,
                                   TcpRouting routing, TcpCounters counters) throws ListenerBindException {
        String bindAddress = routing.listener().bindAddress();
        int port = routing.listener().port();
        String key = routing.listener().addressKey();
        TcpListener listener = new TcpListener(key, transport, new TcpCounters(counters),
                new ConnectionLimiter(routing.listener().maxConnections()), routing);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false) // nothing is read before the target is connected
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        TcpRouting connectionRouting = listener.routing(); // one snapshot for the connection
                        long idleNanos = connectionRouting.listener().idleTimeout().toNanos();
                        ch.pipeline()
                                .addLast("limit", listener.limiter)
                                .addLast("idle", new IdleStateHandler(0, 0, idleNanos, TimeUnit.NANOSECONDS))
                                .addLast("relay", new TcpConnection(listener, connectionRouting));
                        if (connectionRouting.tls() != null) {
                            connectionRouting.tls().addTo(ch.pipeline()); // first in line: the relay sees plain bytes
                        }
                    }
                });
        try {
            Channel channel = bootstrap.bind(new InetSocketAddress(bindAddress, port)).syncUninterruptibly().channel();
            listener.serverChannel = channel;
            listener.limiter.serverChannel(channel);
            return listener;
        } catch (Exception e) {
            throw ListenerBindException.bindFailed(key, e);
        }
    }

    /** "address:port" as the config names it. */
    public String key() {
        return key;
    }

    /** The routing new connections use. */
    public TcpRouting routing() {
        return routing;
    }

    /** Publishes a new routing: connections accepted from now on use it; open ones keep theirs. */
    void publish(TcpRouting next) {
        this.routing = next;
    }

    Transport transport() {
        return transport;
    }

    /** This listener's own counters (they add to the server's totals too). */
    public TcpCounters counters() {
        return counters;
    }

    /** The bound port (useful when a test asked for port 0). */
    public int boundPort() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Client connections open now. */
    public int openConnections() {
        return limiter.open();
    }

    /** Stops accepting; open connections go on until they end, idle out or their target is drained. */
    public void close() {
        serverChannel.close().syncUninterruptibly();
    }
}
