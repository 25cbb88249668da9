package io.fulcrum.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;

/**
 * Makes an HTTP/2 stream look to {@link HttpFrontendHandler} like an HTTP/1.1 connection carrying one
 * request, so both protocols share one request path. Inbound: a request that ended with its HEADERS
 * frame arrives as one full message and is handed on as a head plus an empty last content, as the
 * HTTP/1 decoder hands it; Netty's {@code x-http2-*} headers are dropped (a client's own are refused
 * by the codec already). Outbound: an interim (1xx) head and its end become one HEADERS frame, so does
 * a response head directly followed by an empty end (trailers and all: gRPC's trailers-only answer),
 * and the empty buffer written before a close (connection-level, meaningless on a stream) is dropped.
 */
final class Http2StreamAdapter extends ChannelDuplexHandler {
    private static final AsciiString[] EXTENSION_HEADERS;

    static {
        HttpConversionUtil.ExtensionHeaderNames[] names = HttpConversionUtil.ExtensionHeaderNames.values();
        EXTENSION_HEADERS = new AsciiString[names.length];
        for (int i = 0; i < names.length; i++) {
            EXTENSION_HEADERS[i] = names[i].text();
        }
    }

    private final DeferredFlush connectionFlush;
    private boolean interim;
    /** A response head held back in case its end follows at once: then both go as one HEADERS frame. */
    private HttpResponse heldHead;

    Http2StreamAdapter(DeferredFlush connectionFlush) {
        this.connectionFlush = connectionFlush;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            HttpHeaders headers = request.headers();
            for (AsciiString name : EXTENSION_HEADERS) {
                headers.remove(name);
            }
            if (msg instanceof FullHttpRequest full) {
                ctx.fireChannelRead(new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), headers));
                ctx.fireChannelRead(full.content().isReadable() || !full.trailingHeaders().isEmpty()
                        ? new DefaultLastHttpContent(full.content(), full.trailingHeaders())
                        : releaseAndEnd(full));
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private static LastHttpContent releaseAndEnd(FullHttpRequest full) {
        full.release();
        return LastHttpContent.EMPTY_LAST_CONTENT;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf bytes) {
            bytes.release();
            promise.trySuccess();
            return;
        }
        if (msg instanceof HttpResponse response && !(msg instanceof FullHttpResponse)
                && response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            interim = true;
            ctx.write(new DefaultFullHttpResponse(response.protocolVersion(), response.status(), Unpooled.EMPTY_BUFFER,
                    response.headers(), EmptyHttpHeaders.INSTANCE), promise);
            return;
        }
        if (interim && msg instanceof LastHttpContent last) {
            interim = false;
            last.release();
            promise.trySuccess();
            return;
        }
        if (heldHead != null) {
            HttpResponse head = heldHead;
            heldHead = null;
            if (msg instanceof LastHttpContent last && !last.content().isReadable()) {
                // a bodyless response (gRPC's trailers-only error among them) ends with its HEADERS frame
                HttpHeaders headers = head.headers();
                headers.add(last.trailingHeaders());
                last.release();
                ctx.write(new DefaultFullHttpResponse(head.protocolVersion(), head.status(), Unpooled.EMPTY_BUFFER,
                        headers, EmptyHttpHeaders.INSTANCE), promise);
                return;
            }
            ctx.write(head, ctx.voidPromise());
        }
        if (msg instanceof HttpResponse head && !(msg instanceof FullHttpResponse) && promise.isVoid()) {
            heldHead = head;
            return;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (heldHead != null) {
            ctx.write(heldHead, ctx.voidPromise());
            heldHead = null;
        }
        // The stream's frames are already in the connection's buffer: one flush of the connection after
        // this event loop turn sends them together with every other stream's answered meanwhile (one TLS
        // record and one write instead of one per response, as the frames of one turn would be anyway).
        connectionFlush.request();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (heldHead != null) {
            heldHead = null; // the stream closed before anything followed: nothing to send it on
        }
    }
}
