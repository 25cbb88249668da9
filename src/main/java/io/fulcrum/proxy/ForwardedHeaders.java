package io.fulcrum.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AsciiString;

/**
 * Header rewriting at the proxy boundary: hop-by-hop headers (and those the Connection header names)
 * are removed in both directions; X-Forwarded-For/-Proto/-Port and the request id are added toward
 * the target.
 */
final class ForwardedHeaders {
    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_PORT = AsciiString.cached("x-forwarded-port");
    static final AsciiString REQUEST_ID = AsciiString.cached("x-fulcrum-request-id");
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    private static final AsciiString[] HOP_BY_HOP = {
        HttpHeaderNames.KEEP_ALIVE, PROXY_CONNECTION, HttpHeaderNames.TE, HttpHeaderNames.TRAILER,
        HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION,
    };

    private ForwardedHeaders() {
    }

    /**
     * Removes hop-by-hop headers. Transfer-Encoding stays: the codec re-frames the body with it, and
     * the peer must know the framing.
     */
    static void removeHopByHop(HttpHeaders headers) {
        String connection = headers.get(HttpHeaderNames.CONNECTION);
        if (connection != null) {
            int start = 0;
            while (start < connection.length()) {
                int comma = connection.indexOf(',', start);
                int end = comma < 0 ? connection.length() : comma;
                String token = connection.substring(start, end).trim();
                if (!token.isEmpty() && !token.equalsIgnoreCase("transfer-encoding")) {
                    headers.remove(token);
                }
                start = end + 1;
            }
            headers.remove(HttpHeaderNames.CONNECTION);
        }
        for (AsciiString name : HOP_BY_HOP) {
            headers.remove(name);
        }
    }

    /**
     * Whether the sender of {@code message} keeps its connection open afterwards: {@link HttpUtil#isKeepAlive}'s
     * answer, without its two list scans in the usual cases (no Connection header, or exactly one token).
     */
    static boolean keepAlive(HttpMessage message) {
        String connection = message.headers().get(HttpHeaderNames.CONNECTION);
        if (connection == null) {
            return message.protocolVersion().isKeepAliveDefault();
        }
        if (HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(connection)) {
            return true;
        }
        if (HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(connection)) {
            return false;
        }
        return HttpUtil.isKeepAlive(message);
    }

    /**
     * True for a WebSocket opening handshake (RFC 6455 4.1): GET, {@code Connection: upgrade} and
     * {@code Upgrade: websocket}. Other upgrades (h2c, TLS) stay hop-by-hop and are stripped.
     */
    static boolean isWebSocketUpgrade(HttpHeaders headers) {
        return headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /** Puts back the two hop-by-hop headers that carry a WebSocket upgrade across this hop. */
    static void setWebSocketUpgrade(HttpHeaders headers) {
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
    }

    /** Adds the X-Forwarded-* headers toward the target (X-Forwarded-For is appended to). */
    static void addForwarded(HttpHeaders headers, String clientAddress, String proto, String port) {
        if (!headers.contains(X_FORWARDED_FOR)) {
            headers.set(X_FORWARDED_FOR, clientAddress);
        } else {
            // several lines are one list: join them, then append the peer
            String previous = String.join(", ", headers.getAll(X_FORWARDED_FOR));
            headers.set(X_FORWARDED_FOR, previous + ", " + clientAddress);
        }
        headers.set(X_FORWARDED_PROTO, proto);
        headers.set(X_FORWARDED_PORT, port);
    }
}
