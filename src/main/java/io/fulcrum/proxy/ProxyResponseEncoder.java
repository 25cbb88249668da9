package io.fulcrum.proxy;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * Response encoder that knows when the response answers a HEAD request, so a forwarded
 * {@code Transfer-Encoding: chunked} head gets no body framing. The frontend sets the flag before it
 * writes each response head; unlike HttpServerCodec's, this does not pair responses with a queue of
 * requests, which interim (100 Continue) responses would put out of step.
 */
final class ProxyResponseEncoder extends HttpResponseEncoder {
    private boolean headResponse;

    void nextResponseAnswersHead(boolean head) {
        this.headResponse = head;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        return super.isContentAlwaysEmpty(msg) || headResponse && msg.status().code() >= 200;
    }
}
