package io.fulcrum.endtoend;

import static io.fulcrum.endtoend.Groups.quoted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fulcrum.proxy.HttpListener;
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
        Http.noDelayBackends();
        try (TestBackend backend = new TestBackend("a");
             RunningFulcrum fulcrum = RunningFulcrum.start(Groups.web(RunningFulcrum.freePort(), "{}",
                     quoted(backend.address())).replace("bindAddress: 127.0.0.1",
                     "bindAddress: 127.0.0.1\n        maxConnections: 2"))) {
            HttpListener listener = fulcrum.server().listeners().values().iterator().next();
            int port = fulcrum.port();
            Socket first = Http.connect(port);
            Socket second = Http.connect(port);
            await().until(() -> listener.openConnections() == 2);
            try (Socket third = Http.connect(port)) {
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
                Http.Response response = Http.readOne(third.getInputStream());
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("a");
                assertThat(backend.requestCount()).isEqualTo(1);

                // the second idle connection still works, and the listener is at its cap again
                second.getOutputStream().write(GET);
                second.getOutputStream().flush();
                assertThat(Http.readOne(second.getInputStream()).body()).isEqualTo("a");
                assertThat(listener.openConnections()).isEqualTo(2);
            } finally {
                first.close();
                second.close();
            }
            await().until(() -> listener.openConnections() == 0);
            assertThat(Http.get(port, "/after").body()).as("still serving").isEqualTo("a");
        }
    }
}
