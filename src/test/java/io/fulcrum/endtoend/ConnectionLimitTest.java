package io.fulcrum.endtoend;

import static io.fulcrum.testing.TestConfigs.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fulcrum.proxy.HttpListener;
import io.fulcrum.testing.RawHttp;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A listener at maxConnections stops accepting; the kernel's backlog holds the next client until a slot frees. */
class ConnectionLimitTest {
    private static final byte[] GET = "GET /queued HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aThirdConnectionWaitsInTheBacklogUntilOneOfTheFirstTwoCloses() throws Exception {
        RawHttp.noDelayBackends();
        try (TestBackend backend = new TestBackend("a");
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort())
                     .targets(backend.address()).maxConnections(2))) {
            HttpListener listener = fulcrum.server().listeners().values().iterator().next();
            int port = fulcrum.port();
            Socket first = RawHttp.connect(port);
            Socket second = RawHttp.connect(port);
            await().until(() -> listener.openConnections() == 2);
            try (Socket third = RawHttp.connect(port)) {
                // it connected at TCP level (the backlog), and its request waits unread
                OutputStream out = third.getOutputStream();
                out.write(GET);
                out.flush();
                third.setSoTimeout(1_000);
                assertThatThrownBy(() -> third.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                assertThat(backend.requestCount()).isZero();
                assertThat(listener.openConnections()).isEqualTo(2);

                first.close();
                third.setSoTimeout(20_000);
                RawHttp.Response response = RawHttp.read(third.getInputStream());
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("a");
                assertThat(backend.requestCount()).isEqualTo(1);

                // the second idle connection still works, and the listener is at its cap again
                second.getOutputStream().write(GET);
                second.getOutputStream().flush();
                assertThat(RawHttp.read(second.getInputStream()).body()).isEqualTo("a");
                assertThat(listener.openConnections()).isEqualTo(2);
            } finally {
                first.close();
                second.close();
            }
            await().until(() -> listener.openConnections() == 0);
            assertThat(RawHttp.get(port, "/after").body()).as("still serving").isEqualTo("a");
        }
    }
}
