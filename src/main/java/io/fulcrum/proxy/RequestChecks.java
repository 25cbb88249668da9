package io.fulcrum.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessageDecoderResult;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The checks a strict proxy makes on a decoded request head before it routes it. Anything refused
 * here is answered by the balancer and never forwarded; the connection is closed after the answer.
 */
final class RequestChecks {
    private RequestChecks() {
    }

    /** The answer to a request the decoder could not parse. */
    static ErrorCode forDecoderFailure(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return ErrorCode.URI_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return ErrorCode.HEADERS_TOO_LARGE;
        }
        String message = cause.getMessage();
        if (cause instanceof IllegalArgumentException && message != null
                && message.startsWith("The final transfer coding must be chunked")) {
            return ErrorCode.NOT_IMPLEMENTED; // an unknown transfer coding, as ALB answers it
        }
        return ErrorCode.BAD_REQUEST;
    }

    /** Null when the head may be routed, else the error to answer. */
    static ErrorCode check(HttpRequest request) {
        HttpMethod method = request.method();
        if (method == HttpMethod.TRACE || method == HttpMethod.CONNECT) {
            return ErrorCode.METHOD_NOT_ALLOWED;
        }
        String uri = request.uri();
        if (uri.isEmpty() || uri.charAt(0) != '/') {
            return ErrorCode.BAD_REQUEST; // only origin-form; absolute-form and '*' are not routed
        }
        HttpHeaders headers = request.headers();
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        boolean http11 = request.protocolVersion().compareTo(HttpVersion.HTTP_1_1) >= 0;
        if (hosts.size() > 1 || http11 && hosts.isEmpty() || !hosts.isEmpty() && hosts.get(0).isBlank()) {
            return ErrorCode.BAD_REQUEST;
        }
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
            if (codings.size() != 1 || !codings.get(0).trim().equalsIgnoreCase("chunked")) {
                return ErrorCode.NOT_IMPLEMENTED;
            }
        }
        if (request.decoderResult() instanceof HttpMessageDecoderResult sizes
                && sizes.headerSize() > StrictRequestDecoder.MAX_HEADER) {
            for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
                Map.Entry<CharSequence, CharSequence> header = it.next();
                if (header.getKey().length() + header.getValue().length() + 2 > StrictRequestDecoder.MAX_HEADER) {
                    return ErrorCode.HEADERS_TOO_LARGE;
                }
            }
        }
        return null;
    }
}
