package io.fulcrum.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import java.util.Map;

/**
 * Sits in front of the decoder and tells the frontend when bytes arrive, so it can time a request
 * head from its first byte (slowloris) and an idle connection from its last; and counts the bytes
 * read and written on the wire for the metrics and the access log (on an HTTP/2 stream, the size of
 * its DATA payloads and header lists: see {@link #size}).
 */
final class ActivityTracker extends ChannelDuplexHandler {
    private final HttpFrontendHandler frontend;

    ActivityTracker(HttpFrontendHandler frontend) {
        this.frontend = frontend;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        frontend.onBytes();
        int bytes = size(msg);
        if (bytes > 0) {
            frontend.recorder.received(bytes);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        int bytes = size(msg);
        if (bytes > 0) {
            frontend.recorder.sent(bytes);
        }
        ctx.write(msg, promise);
    }

    /**
     * The bytes a message stands for: a buffer's on an HTTP/1 connection; on an HTTP/2 stream, a DATA
     * frame's flow-controlled length (payload and padding) and a HEADERS frame's header list size as
     * HTTP/2 defines it (RFC 9113 6.5.2: each field's name and value plus 32), an uncompressed size:
     * HPACK usually sends fewer bytes. Frame headers and connection-level frames are not counted.
     */
    static int size(Object msg) {
        if (msg instanceof ByteBuf bytes) {
            return bytes.readableBytes();
        }
        if (msg instanceof Http2DataFrame data) {
            return data.initialFlowControlledBytes();
        }
        if (msg instanceof Http2HeadersFrame headers) {
            return headerListSize(headers.headers());
        }
        return 0;
    }

    static int headerListSize(Http2Headers headers) {
        int size = 0;
        for (Map.Entry<CharSequence, CharSequence> field : headers) {
            size += field.getKey().length() + field.getValue().length() + 32;
        }
        return size;
    }
}
