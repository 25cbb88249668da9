package io.fulcrum.health;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderException;
import io.fulcrum.model.HealthCheck;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The shared base of the probe kinds: a fresh connection on one event loop, one deadline for the whole
 * probe (connect and answer), and exactly one result. Subclasses say what to do once connected.
 */
abstract class Prober {
    private final ChannelFactory<? extends Channel> channelFactory;

    Prober(ChannelFactory<? extends Channel> channelFactory) {
        this.channelFactory = requireNonNull(channelFactory, "channelFactory");
    }

    /**
     * Starts one probe; must be called on {@code loop}. {@code done} runs once, on {@code loop}.
     *
     * @param hostHeader "host:port" of the target, for protocols that send it
     */
    final void probe(EventLoop loop, InetSocketAddress address, String hostHeader, HealthCheck config,
                     Consumer<ProbeResult> done) {
        Attempt attempt = new Attempt(done);
        attempt.address = address;
        long timeoutMillis = Math.max(1, config.timeout().toMillis());
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channelFactory(channelFactory)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(timeoutMillis, Integer.MAX_VALUE))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        initPipeline(ch, config, attempt);
                    }
                });
        ChannelFuture connect;
        try {
            connect = bootstrap.connect(address);
        } catch (RuntimeException e) {
            attempt.finish(classify(e));
            return;
        }
        attempt.channel = connect.channel();
        attempt.deadline = loop.schedule(() -> attempt.finish(ProbeResult.TIMED_OUT), timeoutMillis,
                TimeUnit.MILLISECONDS);
        connect.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                onConnected(f.channel(), hostHeader, config, attempt);
            } else {
                attempt.finish(classify(f.cause()));
            }
        });
    }

    /** Adds this kind's handlers; the default only turns stray exceptions into a result. */
    void initPipeline(Channel ch, HealthCheck config, Attempt attempt) {
        ch.pipeline().addLast(new FailureHandler(attempt));
    }

    /** The connection is up; finish the attempt now or once the answer comes. */
    abstract void onConnected(Channel ch, String hostHeader, HealthCheck config, Attempt attempt);

    /** Names a failure as ALB would describe it. */
    static ProbeResult classify(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return ProbeResult.TIMED_OUT;
        }
        if (cause instanceof ConnectException) {
            return ProbeResult.REFUSED;
        }
        if (cause instanceof DecoderException) {
            return ProbeResult.error(ProbeOutcome.INVALID_RESPONSE, "Invalid HTTP response");
        }
        String message = cause.getMessage();
        if (cause instanceof IOException && message != null
                && message.toLowerCase(Locale.ROOT).contains("reset")) {
            return ProbeResult.RESET;
        }
        return ProbeResult.error(ProbeOutcome.ERROR, "Health check failed: "
                + (message == null ? cause.getClass().getSimpleName() : message));
    }

    /** One probe in flight: finishes once, then closes its connection. Confined to one event loop. */
    static final class Attempt {
        private final Consumer<ProbeResult> done;
        private boolean finished;
        Channel channel;
        ScheduledFuture<?> deadline;
        /** The address probed (its host string names the target for TLS). */
        InetSocketAddress address;

        Attempt(Consumer<ProbeResult> done) {
            this.done = done;
        }

        void finish(ProbeResult result) {
            if (finished) {
                return;
            }
            finished = true;
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (channel != null) {
                channel.close();
            }
            done.accept(result);
        }
    }

    /** Ends the attempt on an exception or an early close. */
    static class FailureHandler extends ChannelInboundHandlerAdapter {
        final Attempt attempt;

        FailureHandler(Attempt attempt) {
            this.attempt = attempt;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            attempt.finish(ProbeResult.CLOSED_EARLY);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            attempt.finish(classify(cause));
        }
    }
}
