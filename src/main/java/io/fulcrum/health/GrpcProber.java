package io.fulcrum.health;

import io.fulcrum.model.HealthCheck;
import io.fulcrum.model.StatusMatcher;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;

/**
 * A GRPC group's HTTP check, as ALB makes it: a gRPC call (POST of one empty message) to the check's path
 * over HTTP/2 with prior knowledge; healthy when the answer is HTTP 200 and its grpc-status (in the
 * trailers, or in a trailers-only answer) is accepted by the matcher. ALB's default path names a
 * method no target has, so the default matcher accepts 12 (UNIMPLEMENTED): "the server speaks gRPC".
 */
final class GrpcProber extends Prober {
    /** A gRPC message frame: not compressed, length 0. */
    private static final byte[] EMPTY_MESSAGE = new byte[5];

    GrpcProber(ChannelFactory<? extends Channel> channelFactory) {
        super(channelFactory);
    }

    @Override
    void initPipeline(Channel ch, HealthCheck config, Attempt attempt) {
        ch.pipeline()
                .addLast(Http2FrameCodecBuilder.forClient()
                        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false))
                        .build())
                .addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()))
                .addLast(new FailureHandler(attempt));
    }

    @Override
    void onConnected(Channel ch, String hostHeader, HealthCheck config, Attempt attempt) {
        new Http2StreamChannelBootstrap(ch)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel stream) {
                        stream.pipeline().addLast(new StatusHandler(attempt, config.matcher()));
                    }
                })
                .open()
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        attempt.finish(classify(f.cause()));
                        return;
                    }
                    Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
                    Http2Headers headers = new DefaultHttp2Headers()
                            .method("POST").scheme("http").authority(hostHeader).path(config.path())
                            .set("content-type", "application/grpc")
                            .set("te", "trailers")
                            .set("user-agent", HttpProber.USER_AGENT);
                    stream.write(new DefaultHttp2HeadersFrame(headers, false));
                    stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(EMPTY_MESSAGE), true))
                            .addListener(w -> {
                                if (!w.isSuccess()) {
                                    attempt.finish(classify(w.cause()));
                                }
                            });
                });
    }

    /** Reads the answer's :status, then its grpc-status wherever it comes; the body is dropped unread. */
    private static final class StatusHandler extends ChannelInboundHandlerAdapter {
        private final Attempt attempt;
        private final StatusMatcher matcher;
        private boolean headSeen;

        StatusHandler(Attempt attempt, StatusMatcher matcher) {
            this.attempt = attempt;
            this.matcher = matcher;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!(msg instanceof Http2HeadersFrame frame)) {
                    return;
                }
                Http2Headers headers = frame.headers();
                if (!headSeen) {
                    CharSequence status = headers.status();
                    int code = status == null ? 0 : Integer.parseInt(status.toString());
                    if (code >= 100 && code < 200) {
                        return; // interim
                    }
                    headSeen = true;
                    if (code != 200) {
                        attempt.finish(ProbeResult.http(code, false));
                        return;
                    }
                }
                CharSequence grpcStatus = headers.get("grpc-status");
                if (grpcStatus != null) {
                    int code = parse(grpcStatus);
                    attempt.finish(code < 0
                            ? ProbeResult.error(ProbeOutcome.INVALID_RESPONSE, "Invalid grpc-status: " + grpcStatus)
                            : ProbeResult.http(code, matcher.matches(code)));
                } else if (frame.isEndStream()) {
                    attempt.finish(ProbeResult.error(ProbeOutcome.INVALID_RESPONSE, "No grpc-status in the answer"));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private static int parse(CharSequence value) {
            try {
                return Integer.parseInt(value.toString().trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            attempt.finish(ProbeResult.CLOSED_EARLY); // a reset stream; a no-op once finished
        }
    }
}
