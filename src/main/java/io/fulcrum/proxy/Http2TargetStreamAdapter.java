package io.fulcrum.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * Makes a response on an HTTP/2 stream to a target look like one from an HTTP/1.1 connection: a
 * response that ended with its HEADERS frame (a 1xx, a bodyless answer, gRPC's trailers-only error)
 * arrives as one full message and is handed on as a head plus its end, and Netty's
 * {@code x-http2-stream-id} header is dropped.
 */
final class Http2TargetStreamAdapter extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse response) {
            response.headers().remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text());
            if (msg instanceof FullHttpResponse full) {
                HttpResponse head = new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers());
                int code = full.status().code();
                if (code >= 200 && code != 204 && code != 304 && !HttpUtil.isContentLengthSet(head)) {
                    // delimit the (empty) body, as the codec does for a response with DATA: never by a close
                    HttpUtil.setTransferEncodingChunked(head, true);
                }
                ctx.fireChannelRead(head);
                if (full.content().isReadable() || !full.trailingHeaders().isEmpty()) {
                    ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
                } else {
                    full.release();
                    ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
                }
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }
}
