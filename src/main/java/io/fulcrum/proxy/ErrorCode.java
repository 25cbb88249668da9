package io.fulcrum.proxy;

import io.netty.handler.codec.http.HttpResponseStatus;

/** The responses the balancer answers itself, counted apart from the targets' own status codes. */
public enum ErrorCode {
    BAD_REQUEST(HttpResponseStatus.BAD_REQUEST),
    METHOD_NOT_ALLOWED(HttpResponseStatus.METHOD_NOT_ALLOWED),
    REQUEST_TIMEOUT(HttpResponseStatus.REQUEST_TIMEOUT),
    PAYLOAD_TOO_LARGE(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE),
    URI_TOO_LONG(HttpResponseStatus.REQUEST_URI_TOO_LONG),
    HEADERS_TOO_LARGE(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE),
    NOT_IMPLEMENTED(HttpResponseStatus.NOT_IMPLEMENTED),
    BAD_GATEWAY(HttpResponseStatus.BAD_GATEWAY),
    SERVICE_UNAVAILABLE(HttpResponseStatus.SERVICE_UNAVAILABLE),
    GATEWAY_TIMEOUT(HttpResponseStatus.GATEWAY_TIMEOUT);

    private final HttpResponseStatus status;

    ErrorCode(HttpResponseStatus status) {
        this.status = status;
    }

    public HttpResponseStatus status() {
        return status;
    }
}
