package io.fulcrum.health;

import io.fulcrum.model.HealthCheck;
import io.fulcrum.model.HealthCheckProtocol;
import io.fulcrum.model.StatusMatcher;
import io.fulcrum.tls.TargetTls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
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
import java.net.InetSocketAddress;

/**
 * A GRPC group's HTTP check, as ALB makes it: a gRPC call (POST of one empty message) to the check's path
 * over HTTP/2 with prior knowledge (h2c); healthy when the answer is HTTP 200 and its grpc-status (in the
 * trailers, or in a trailers-only answer) is accepted by the matcher. An HTTPS check makes the same
 * call over TLS with h2 offered by ALPN. ALB's default path names a
 * method no target has, so the default matcher accepts 12 (UNIMPLEMENTED): "the server speaks gRPC".
 * On the standard health service's path the answer's body is read too: an OK call is a success only
 * when it says SERVING.
 */
final class GrpcProber extends Prober {
    /** A gRPC message frame: not compressed, length 0. */
    private static final byte[] EMPTY_MESSAGE = new byte[5];

    GrpcProber(ChannelFactory<? extends Channel> channelFactory) {
        super(channelFactory);
    }

    @Override
    void initPipeline(Channel ch, HealthCheck config, Attempt attempt) {
        if (config.protocol() == HealthCheckProtocol.HTTPS) {
            // h2 offered by ALPN; unverified, as every HTTPS check. A target that does not choose h2
            // answers the preface with something else: a protocol error, so unhealthy
            InetSocketAddress remote = attempt.address;
            ch.pipeline().addLast(TargetTls.shared().newH2Handler(ch.alloc(), remote.getHostString(), remote.getPort(),
                    false));
        }
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
                        stream.pipeline().addLast(new StatusHandler(attempt, config.matcher(),
                                GrpcHealthResponse.CHECK_PATH.equals(config.path())));
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
                            .method("POST").scheme(config.protocol() == HealthCheckProtocol.HTTPS ? "https" : "http").authority(hostHeader).path(config.path())
                            .set("content-type", "application/grpc")
                            .set("te", "trailers")
                            .set("user-agent", HttpCheck.USER_AGENT);
                    stream.write(new DefaultHttp2HeadersFrame(headers, false));
                    stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(EMPTY_MESSAGE), true))
                            .addListener(w -> {
                                if (!w.isSuccess()) {
                                    attempt.finish(classify(w.cause()));
                                }
                            });
                });
    }

    /**
     * Reads the answer's :status, then its grpc-status wherever it comes; the body is dropped unread
     * unless {@code readServing}, when the first bytes of it are kept for {@link GrpcHealthResponse}.
     */
    private static final class StatusHandler extends ChannelInboundHandlerAdapter {
        /** A HealthCheckResponse is a few bytes; a longer body is not one. */
        private static final int MAX_BODY = 256;

        private final Attempt attempt;
        private final StatusMatcher matcher;
        private final boolean readServing;
        private byte[] body;
        private int bodyLength;
        private boolean headSeen;

        StatusHandler(Attempt attempt, StatusMatcher matcher, boolean readServing) {
            this.attempt = attempt;
            this.matcher = matcher;
            this.readServing = readServing;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2DataFrame data) {
                    if (readServing) {
                        keep(data.content());
                    }
                    return;
                }
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
                            : result(code));
                } else if (frame.isEndStream()) {
                    attempt.finish(ProbeResult.error(ProbeOutcome.INVALID_RESPONSE, "No grpc-status in the answer"));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        /** The matcher's verdict; an accepted OK from the health service also needs a SERVING body. */
        private ProbeResult result(int code) {
            boolean accepted = matcher.matches(code);
            if (!accepted || code != 0 || !readServing) {
                return ProbeResult.http(code, accepted);
            }
            int serving = bodyLength > MAX_BODY ? GrpcHealthResponse.MALFORMED
                    : GrpcHealthResponse.status(body, bodyLength);
            if (serving == GrpcHealthResponse.SERVING) {
                return ProbeResult.http(code, true);
            }
            return serving == GrpcHealthResponse.MALFORMED
                    ? ProbeResult.error(ProbeOutcome.INVALID_RESPONSE, "Invalid grpc.health.v1 answer")
                    : new ProbeResult(ProbeOutcome.NOT_SERVING, code,
                            "Health checks failed: grpc.health.v1 status " + GrpcHealthResponse.name(serving));
        }

        /** Copies the body's first bytes; past the cap only the length is counted. */
        private void keep(ByteBuf content) {
            int readable = content.readableBytes();
            if (body == null) {
                body = new byte[MAX_BODY];
            }
            int copy = Math.min(readable, MAX_BODY - Math.min(bodyLength, MAX_BODY));
            content.getBytes(content.readerIndex(), body, Math.min(bodyLength, MAX_BODY), copy);
            bodyLength += readable;
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
