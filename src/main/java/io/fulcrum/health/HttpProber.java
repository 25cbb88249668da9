package io.fulcrum.health;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.fulcrum.model.HealthCheck;
import io.fulcrum.model.HealthCheckProtocol;
import io.fulcrum.tls.TargetTls;
import java.net.InetSocketAddress;
import io.fulcrum.model.StatusMatcher;

/**
 * An HTTP or HTTPS check: {@code GET path} on a fresh connection with {@code Connection: close}; healthy when the
 * status is accepted by the matcher. Only the response head is read; the body is dropped unread.
 */
final class HttpProber extends Prober {
    static final String USER_AGENT = "Fulcrum-HealthChecker/1.0";
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADER_SIZE = 8192;
    private static final int MAX_CHUNK_SIZE = 8192;

    HttpProber(ChannelFactory<? extends Channel> channelFactory) {
        super(channelFactory);
    }

    @Override
    void initPipeline(Channel ch, HealthCheck config, Attempt attempt) {
        if (config.protocol() == HealthCheckProtocol.HTTPS) {
            // as ALB's HTTPS checks: the target's certificate is not verified
            InetSocketAddress remote = attempt.address;
            ch.pipeline().addLast(TargetTls.shared().newHandler(ch.alloc(), remote.getHostString(), remote.getPort(),
                    false));
        }
        ch.pipeline().addLast(new HttpClientCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_CHUNK_SIZE));
        ch.pipeline().addLast(new StatusHandler(attempt, config.matcher()));
    }

    @Override
    void onConnected(Channel ch, String hostHeader, HealthCheck config, Attempt attempt) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, config.path(),
                Unpooled.EMPTY_BUFFER);
        request.headers()
                .set(HttpHeaderNames.HOST, hostHeader)
                .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
                .set(HttpHeaderNames.ACCEPT, "*/*")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ch.writeAndFlush(request).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                attempt.finish(classify(f.cause()));
            }
        });
    }

    /** Finishes the attempt with the first final status line; everything else is released unread. */
    private static final class StatusHandler extends FailureHandler {
        private final StatusMatcher matcher;

        StatusHandler(Attempt attempt, StatusMatcher matcher) {
            super(attempt);
            this.matcher = matcher;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse response) {
                    if (response.decoderResult().isFailure()) {
                        attempt.finish(ProbeResult.error(ProbeOutcome.INVALID_RESPONSE, "Invalid HTTP response"));
                        return;
                    }
                    int code = response.status().code();
                    if (code >= 200) { // 1xx is interim: wait for the final answer
                        attempt.finish(ProbeResult.http(code, matcher.matches(code)));
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
