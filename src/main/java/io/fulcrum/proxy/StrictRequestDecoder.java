package io.fulcrum.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ByteProcessor;
import java.util.List;

/**
 * Netty's request decoder, made strict for a proxy: obs-fold (a header line continued on the next line
 * with leading whitespace), which Netty silently joins, is refused, since two parsers that disagree on
 * where a header ends is how request smuggling starts. After a refused request every further byte is
 * discarded: the connection is closed once the 400 is written.
 *
 * <p>Limits follow ALB: request line 16 KiB, all header lines together 64 KiB (the single-header 16 KiB
 * limit is checked by {@link RequestChecks}).
 */
final class StrictRequestDecoder extends HttpRequestDecoder {
    static final int MAX_REQUEST_LINE = 16 * 1024;
    static final int MAX_HEADERS = 64 * 1024;
    static final int MAX_HEADER = 16 * 1024;
    /** Body pieces handed on at most this large, so a big read does not become one big buffer. */
    static final int MAX_CHUNK = 64 * 1024;

    /** True while the decoder is in a request head (request line and headers), false in a body. */
    private boolean inHead = true;
    /** The last byte the decoder consumed of the current head was LF: the next byte starts a line. */
    private boolean atLineStart;
    private boolean failed;
    private final ObsFoldFinder finder = new ObsFoldFinder();

    StrictRequestDecoder() {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_REQUEST_LINE)
                .setMaxHeaderSize(MAX_HEADERS)
                .setMaxChunkSize(MAX_CHUNK)
                .setStrictLineParsing(true)
                .setAllowDuplicateContentLengths(false)
                .setUseRfc9112TransferEncoding(true)
                .setValidateHeaders(true));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (failed) {
            buffer.skipBytes(buffer.readableBytes());
            return;
        }
        if (inHead && buffer.isReadable()) {
            finder.reset(atLineStart);
            int end = buffer.forEachByte(buffer.readerIndex(), buffer.readableBytes(), finder);
            if (end >= 0 && finder.foundFold) {
                failed = true;
                buffer.skipBytes(buffer.readableBytes());
                HttpMessage invalid = createInvalidMessage();
                invalid.setDecoderResult(DecoderResult.failure(new ObsFoldException()));
                out.add(invalid);
                return;
            }
        }
        int before = out.size();
        int readerBefore = buffer.readerIndex();
        super.decode(ctx, buffer, out);
        for (int i = before; i < out.size(); i++) {
            Object message = out.get(i);
            if (message instanceof HttpMessage) {
                inHead = false;
                if (message instanceof HttpMessage m && m.decoderResult().isFailure()) {
                    failed = true;
                }
            }
            if (message instanceof LastHttpContent) {
                inHead = true;
                atLineStart = false;
            }
        }
        if (inHead && buffer.readerIndex() > readerBefore && out.size() == before) {
            atLineStart = buffer.getByte(buffer.readerIndex() - 1) == '\n';
        }
    }

    /** Thrown into the decoder result of a request whose head uses obs-fold. */
    static final class ObsFoldException extends Exception {
        private static final long serialVersionUID = 1L;

        ObsFoldException() {
            super("obsolete line folding in a header", null, false, false);
        }
    }

    /** Scans a head for LF followed by SP/HT (a fold), stopping at the empty line that ends the head. */
    private static final class ObsFoldFinder implements ByteProcessor {
        private int previous;
        private int beforePrevious;
        private boolean foundFold;
        private boolean sawContent;

        void reset(boolean atLineStart) {
            previous = atLineStart ? '\n' : 0;
            beforePrevious = 0;
            foundFold = false;
            sawContent = atLineStart;
        }

        @Override
        public boolean process(byte value) {
            int b = value;
            if (previous == '\n' && sawContent && (b == ' ' || b == '\t')) {
                foundFold = true;
                return false;
            }
            if (b == '\n' && previous == '\n' || b == '\n' && previous == '\r' && beforePrevious == '\n') {
                if (sawContent) {
                    return false; // end of head: what follows is a body
                }
            }
            if (b != '\r' && b != '\n') {
                sawContent = true;
            }
            beforePrevious = previous;
            previous = b;
            return true;
        }
    }
}
