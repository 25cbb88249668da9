package io.fulcrum.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Responses the balancer writes itself: its error pages, fixed responses and redirects. */
final class LocalResponses {
    private static final Map<ErrorCode, ByteBuf> ERROR_BODIES = new EnumMap<>(ErrorCode.class);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static {
        for (ErrorCode code : ErrorCode.values()) {
            String text = code.status().code() + " " + code.status().reasonPhrase() + "\n";
            ERROR_BODIES.put(code, Unpooled.unreleasableBuffer(
                    Unpooled.directBuffer().writeBytes(text.getBytes(StandardCharsets.US_ASCII)).asReadOnly()));
        }
    }

    private LocalResponses() {
    }

    /** A small text/plain page naming the code, e.g. "502 Bad Gateway". */
    static FullHttpResponse error(ErrorCode code) {
        ByteBuf body = ERROR_BODIES.get(code).duplicate();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, code.status(), body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }

    /** A fixed-response action's answer. */
    static FullHttpResponse fixed(int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(bytes));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return response;
    }

    /** A redirect action's answer. */
    static FullHttpResponse redirect(int status, String location) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.EMPTY_BUFFER);
        response.headers()
                .set(HttpHeaderNames.LOCATION, location)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return response;
    }

    /** A fresh request id: 32 hex digits. */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[32];
        long high = random.nextLong();
        long low = random.nextLong();
        for (int i = 0; i < 16; i++) {
            id[i] = HEX[(int) (high >>> (60 - 4 * i)) & 0xF];
            id[16 + i] = HEX[(int) (low >>> (60 - 4 * i)) & 0xF];
        }
        return new String(id);
    }
}
