package io.fulcrum.model;

/**
 * The HTTP version a target group's targets are spoken to in, with ALB's names: {@code HTTP1}
 * (HTTP/1.1, the default), {@code HTTP2} and {@code GRPC} (both HTTP/2; GRPC also passes {@code te: trailers}).
 */
public enum ProtocolVersion {
    HTTP1, HTTP2, GRPC;

    /** True when targets are spoken to over HTTP/2. */
    public boolean http2() {
        return this != HTTP1;
    }
}
