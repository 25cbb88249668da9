package io.fulcrum.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/2 side of a listener: the limits of its connections and the pipeline of each stream. A stream
 * is a child channel whose frames become HTTP/1 messages, then the same {@link HttpFrontendHandler}
 * that serves an HTTP/1.1 connection routes it, so both protocols share one request path. Per-stream
 * back-pressure falls out of that: the handler reads a stream only while its target connection is
 * writable (unread DATA is not acknowledged, so the client's stream window closes), and reads its
 * target only while the stream is writable (its send window is open).
 */
@ChannelHandler.Sharable
final class Http2Streams extends ChannelInitializer<Channel> {
    /** SETTINGS_MAX_CONCURRENT_STREAMS, as ALB's. */
    static final int MAX_CONCURRENT_STREAMS = 128;
    /** SETTINGS_MAX_HEADER_LIST_SIZE: as HTTP/1's 64 KiB of header lines (Netty answers 431 above it). */
    static final int MAX_HEADER_LIST_SIZE = StrictRequestDecoder.MAX_HEADERS;
    /**
     * Rapid reset (CVE-2023-44487): more RST_STREAM frames from a client than this within
     * {@link #RST_WINDOW_SECONDS} is answered with GOAWAY ENHANCE_YOUR_CALM and the connection closes.
     */
    static final int MAX_RST_PER_WINDOW = 200;
    static final int RST_WINDOW_SECONDS = 30;
    /**
     * CONTINUATION floods: a header block larger than the header list size (plus a quarter) ends the
     * connection while it is still being received, and so does a run of this many small CONTINUATION
     * frames in one block.
     */
    static final int MAX_SMALL_CONTINUATION_FRAMES = 16;
    private static final Http2StreamFrameToHttpObjectCodec STREAM_CODEC = new Http2StreamFrameToHttpObjectCodec(true);
    private static final Logger LOG = LoggerFactory.getLogger(Http2Streams.class);

    /**
     * The last handler of a connection: the codec has already answered a protocol error with GOAWAY and
     * hands it on only for information, and a reset connection is just gone. Logged at debug, as HTTP/1's.
     */
    static final ChannelHandler CONNECTION_ERRORS = new ConnectionErrors();

    private final ProxyContext context;
    private final ListenerSlot slot;
    /** The connection is TLS (X-Forwarded-Proto: https). */
    private final boolean secure;
    /** The connection's one flush per event loop turn, shared by its streams. */
    private final DeferredFlush connectionFlush;

    Http2Streams(ProxyContext context, ListenerSlot slot, boolean secure, Channel connection) {
        this.context = context;
        this.slot = slot;
        this.secure = secure;
        this.connectionFlush = new DeferredFlush(connection);
    }

    /** A server frame codec with the limits above. */
    static Http2FrameCodec newCodec() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                        .maxHeaderListSize(MAX_HEADER_LIST_SIZE))
                .validateHeaders(true)
                .decoderEnforceMaxRstFramesPerWindow(MAX_RST_PER_WINDOW, RST_WINDOW_SECONDS)
                .decoderEnforceMaxSmallContinuationFrames(MAX_SMALL_CONTINUATION_FRAMES)
                .build();
    }

    @ChannelHandler.Sharable
    private static final class ConnectionErrors extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // no close here: the codec sends its GOAWAY with the error code after this returns
            LOG.debug("HTTP/2 connection {} failed: {}", ctx.channel(), cause.toString());
        }
    }

    @Override
    protected void initChannel(Channel stream) {
        HttpFrontendHandler frontend = new HttpFrontendHandler(context, slot, null, secure);
        stream.pipeline()
                .addLast(HttpListener.ACTIVITY, new ActivityTracker(frontend))
                .addLast("codec", STREAM_CODEC)
                .addLast("h2", new Http2StreamAdapter(connectionFlush))
                .addLast("frontend", frontend);
    }
}
