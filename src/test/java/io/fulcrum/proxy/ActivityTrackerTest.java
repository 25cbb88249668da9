package io.fulcrum.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import org.junit.jupiter.api.Test;

/** The byte counts of HTTP/1 buffers and HTTP/2 stream frames that the access log and the metrics get. */
class ActivityTrackerTest {
    @Test
    void dataFramesCountPayloadAndPaddingAndHeadersFramesTheirHeaderListSize() {
        DefaultHttp2DataFrame data = new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(new byte[100]), false, 10);
        try {
            assertThat(ActivityTracker.size(data)).isEqualTo(100 + 10);
        } finally {
            data.release();
        }
        DefaultHttp2Headers headers = new DefaultHttp2Headers();
        headers.status("200").add("content-type", "text/plain");
        // ":status" 7 + "200" 3 + 32, "content-type" 12 + "text/plain" 10 + 32
        assertThat(ActivityTracker.size(new DefaultHttp2HeadersFrame(headers, true))).isEqualTo(42 + 54);
        assertThat(ActivityTracker.size(Unpooled.wrappedBuffer(new byte[7]))).isEqualTo(7);
        assertThat(ActivityTracker.size(new DefaultHttp2PingFrame(1))).isZero();
    }
}
