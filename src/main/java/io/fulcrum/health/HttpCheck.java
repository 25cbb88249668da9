package io.fulcrum.health;

import static java.util.Objects.requireNonNull;

import io.fulcrum.model.HealthCheck;
import io.fulcrum.model.HealthCheckProtocol;
import io.fulcrum.model.StatusMatcher;
import io.fulcrum.tls.TargetTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * One target's HTTP or HTTPS health check: {@code GET path} over a connection kept open from one check
 * to the next (HTTP/1.1 keep-alive), healthy when the status is accepted by the matcher.
 *
 * <p>Why keep the connection: a fresh loopback connection per check (handshake, close, epoll
 * registration, a pipeline) cost more than everything else a check does. Keeping it does not change
 * what a check means:
 * <ul>
 *   <li>A target that cannot be connected to still fails the check: whenever there is no usable kept
 *       connection, the check connects anew, and a refused or timed-out connect is counted as before.</li>
 *   <li>A kept connection that turns out broken when reused (closed or reset before any byte of the
 *       answer, e.g. the target closed it while idle) is not counted: the same check is retried once on a
 *       fresh connection, within the same deadline, and that attempt's result counts.</li>
 *   <li>The whole check, connect and retry included, has one deadline (the check's timeout); missing it
 *       is a {@link ProbeOutcome#TIMEOUT} and closes the connection, since its state is then unknown.</li>
 *   <li>The connection is closed, and the next check connects anew, when the target says so
 *       ({@code Connection: close}, HTTP/1.0), when the body has no length, when an answer is invalid, or when
 *       the previous answer's body has not fully arrived by the next check.</li>
 * </ul>
 * The result is known at the end of the response head; the body is skipped as it arrives.
 *
 * <p>Confined to the target's event loop. One pre-built request buffer per target is written for every
 * check; nothing is allocated per check on the steady path but a duplicate of that buffer.
 */
final class HttpCheck extends ProbeSchedule.Deadline {
    static final String USER_AGENT = "Fulcrum-HealthChecker/1.0";

    /** Where the results go; called on the event loop, once per check. */
    interface Listener {
        void onProbeResult(ProbeResult result);
    }

    private final EventLoop loop;
    private final ProbeSchedule schedule;
    private final ChannelFactory<? extends Channel> channelFactory;
    private final Listener listener;

    private HealthCheck config;
    private InetSocketAddress address;
    private ByteBuf request;
    private Bootstrap bootstrap;
    /** The kept (or connecting) connection; null when none. */
    private Connection connection;

    private boolean inFlight;
    private boolean retried;

    HttpCheck(ProbeSchedule schedule, ChannelFactory<? extends Channel> channelFactory, Listener listener) {
        this.schedule = requireNonNull(schedule, "schedule");
        this.loop = schedule.loop();
        this.channelFactory = requireNonNull(channelFactory, "channelFactory");
        this.listener = requireNonNull(listener, "listener");
    }

    /**
     * Starts one check of {@code address} with {@code config} (a new config or address closes the kept
     * connection). Must not be called while a check is in flight.
     *
     * @param hostHeader "host:port" of the target, for the Host header
     */
    void start(HealthCheck config, InetSocketAddress address, String hostHeader) {
        if (config != this.config || address != this.address) {
            prepare(config, address, hostHeader);
        }
        inFlight = true;
        retried = false;
        schedule.watch(this, System.nanoTime() + Math.max(1, config.timeout().toNanos()));
        Connection kept = connection;
        if (kept != null && kept.reusable()) {
            kept.send();
        } else {
            dropConnection();
            connect();
        }
    }

    /** Ends everything: the check in flight (not reported) and the kept connection. */
    void close() {
        inFlight = false;
        cancelDeadline();
        dropConnection();
        if (request != null) {
            request.release();
            request = null;
        }
        config = null;
        address = null;
    }

    private void prepare(HealthCheck newConfig, InetSocketAddress newAddress, String hostHeader) {
        dropConnection();
        if (request != null) {
            request.release();
        }
        config = newConfig;
        address = newAddress;
        byte[] head = ("GET " + newConfig.path() + " HTTP/1.1\r\n"
                + "host: " + hostHeader + "\r\n"
                + "user-agent: " + USER_AGENT + "\r\n"
                + "accept: */*\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        request = Unpooled.directBuffer(head.length).writeBytes(head);
        long timeoutMillis = Math.max(1, newConfig.timeout().toMillis());
        bootstrap = new Bootstrap()
                .group(loop)
                .channelFactory(channelFactory)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(timeoutMillis, Integer.MAX_VALUE))
                .option(ChannelOption.TCP_NODELAY, true);
    }

    private void connect() {
        Connection fresh = new Connection(config.matcher());
        connection = fresh;
        ChannelFuture connect;
        try {
            connect = bootstrap.clone().handler(fresh).connect(address);
        } catch (RuntimeException e) {
            connection = null;
            finish(Prober.classify(e));
            return;
        }
        fresh.channel = connect.channel();
        connect.addListener(fresh);
    }

    @Override
    void expire() {
        if (inFlight) {
            dropConnection(); // an answer may still come: the connection's state is unknown
            finish(ProbeResult.TIMED_OUT);
        }
    }

    private void finish(ProbeResult result) {
        if (!inFlight) {
            return;
        }
        inFlight = false;
        cancelDeadline();
        listener.onProbeResult(result);
    }

    private void cancelDeadline() {
        schedule.unwatch(this);
    }

    private void dropConnection() {
        Connection c = connection;
        if (c != null) {
            connection = null;
            if (c.channel != null) {
                c.channel.close();
            }
        }
    }

    /**
     * One connection to the target and its handler. Events of a connection that is no longer
     * {@link #connection} (dropped, replaced) are ignored.
     */
    private final class Connection extends ChannelInboundHandlerAdapter implements ChannelFutureListener {
        private final HttpResponseScanner scanner = new HttpResponseScanner();
        private final StatusMatcher matcher;
        Channel channel;
        /** A request was sent and its response has not fully arrived. */
        private boolean busy;
        /** Some byte of the current response arrived. */
        private boolean answered;
        /** Requests sent on this connection. */
        private int sent;
        /** This connection carried a check before the current one. */
        private boolean reused;
        private boolean connected;

        Connection(StatusMatcher matcher) {
            this.matcher = matcher;
        }

        boolean reusable() {
            return connected && !busy && channel.isActive();
        }

        void send() {
            reused = sent++ > 0;
            busy = true;
            answered = false;
            scanner.reset();
            channel.writeAndFlush(request.retainedDuplicate(), channel.voidPromise());
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (config.protocol() == HealthCheckProtocol.HTTPS) {
                // as ALB's HTTPS checks: the target's certificate is not verified
                ctx.pipeline().addBefore(ctx.name(), null, TargetTls.shared().newHandler(ctx.alloc(),
                        address.getHostString(), address.getPort(), false));
            }
        }

        /** The connect finished. */
        @Override
        public void operationComplete(ChannelFuture future) {
            if (this != connection) {
                return;
            }
            if (future.isSuccess()) {
                connected = true;
                send();
            } else {
                connection = null;
                finish(Prober.classify(future.cause()));
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf in)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            try {
                while (this == connection && in.isReadable()) {
                    if (!busy) {
                        dropConnection(); // bytes nobody asked for: the connection is out of step
                        return;
                    }
                    answered = true;
                    for (int event = scanner.scan(in); event != HttpResponseScanner.NEED_MORE && busy;
                            event = scanner.scan(in)) {
                        if (event == HttpResponseScanner.HEAD) {
                            if (System.nanoTime() - deadline > 0) {
                                schedule.unwatch(HttpCheck.this);
                                expire(); // late: the timer has not run yet, but the deadline has passed
                                return;
                            }
                            int status = scanner.status();
                            finish(ProbeResult.http(status, matcher.matches(status)));
                            if (!scanner.keepAlive()) {
                                dropConnection(); // the answer is known: no need to read the rest
                                return;
                            }
                        } else if (event == HttpResponseScanner.DONE) {
                            busy = false; // ready for the next check
                        } else {
                            dropConnection();
                            finish(ProbeResult.error(ProbeOutcome.INVALID_RESPONSE, "Invalid HTTP response"));
                            return;
                        }
                    }
                }
            } finally {
                in.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            broken(ProbeResult.CLOSED_EARLY);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            broken(Prober.classify(cause));
        }

        private void broken(ProbeResult result) {
            if (this != connection) {
                return;
            }
            dropConnection();
            if (!inFlight || !busy) {
                return; // closed while idle, or after the answer's head: nothing to count
            }
            if (reused && !answered && !retried) {
                retried = true; // the kept connection was stale, not the target: try a fresh one
                connect();
            } else {
                finish(result);
            }
        }
    }
}
