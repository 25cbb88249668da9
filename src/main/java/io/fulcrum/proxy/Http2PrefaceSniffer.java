package io.fulcrum.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Tells h2c with prior knowledge from HTTP/1 on a cleartext listener by a connection's first bytes: the
 * HTTP/2 client preface ({@code PRI * HTTP/2.0}...) switches the pipeline to HTTP/2, any other byte
 * leaves HTTP/1 in place. Most HTTP/1 requests differ at the first or second byte, so this decides on
 * the first read and then leaves the pipeline.
 */
final class Http2PrefaceSniffer extends ByteToMessageDecoder {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ProxyContext context;
    private final ListenerSlot slot;

    Http2PrefaceSniffer(ProxyContext context, ListenerSlot slot) {
        this.context = context;
        this.slot = slot;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int available = Math.min(in.readableBytes(), PREFACE.length);
        int start = in.readerIndex();
        for (int i = 0; i < available; i++) {
            if (in.getByte(start + i) != PREFACE[i]) {
                ctx.pipeline().remove(this); // HTTP/1: the bytes read so far go on to its decoder
                return;
            }
        }
        if (available < PREFACE.length) {
            return; // a prefix of the preface: wait (the HTTP/1 header timeout still runs)
        }
        ChannelPipeline pipeline = ctx.pipeline();
        // the HTTP/1 handlers were installed up front so that a silent connection is timed out as usual
        pipeline.remove(HttpListener.ACTIVITY);
        List<String> names = pipeline.names();
        for (int i = names.indexOf(ctx.name()) + 1; i < names.size(); i++) {
            if (pipeline.get(names.get(i)) != null) {
                pipeline.remove(names.get(i));
            }
        }
        HttpListener.configureHttp2(pipeline, context, slot, false);
        pipeline.remove(this); // the preface itself goes on to the HTTP/2 codec
    }
}
