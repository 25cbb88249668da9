package io.fulcrum.proxy;

import static io.fulcrum.testing.TestConfigs.web;
import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.testing.RawHttp;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Client-side timeouts: idle keep-alive connections, slow request heads (slowloris) and stalled bodies. */
class ClientTimeoutTest {

    @Test
    void idleKeepAliveConnectionIsClosedSilently() throws Exception {
        try (TestBackend backend = new TestBackend("b");
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort())
                     .lbAttributes("{idleTimeout: 500ms}").targets(backend.address()).checksOff());
             Socket used = RawHttp.connect(fulcrum.port());
             Socket neverUsed = RawHttp.connect(fulcrum.port())) {
            RawHttp.write(used, RawHttp.getRequest("/once"));
            RawHttp.Response response = RawHttp.read(used.getInputStream());
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Connection")).isNull(); // kept alive

            assertThat(used.getInputStream().read()).as("closed after the idle timeout, no bytes").isEqualTo(-1);
            assertThat(neverUsed.getInputStream().read()).as("a connection that never sent a byte too").isEqualTo(-1);
            assertThat(fulcrum.server().counters().errors(ErrorCode.REQUEST_TIMEOUT)).isZero();
            assertThat(backend.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void slowlorisGets408AndCloseWhileOtherClientsAreServed() throws Exception {
        ExecutorService trickler = Executors.newSingleThreadExecutor();
        try (TestBackend backend = new TestBackend("b");
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort())
                     .lbAttributes("{idleTimeout: 30s, clientHeaderTimeout: 500ms}").targets(backend.address())
                     .checksOff());
             Socket slow = RawHttp.connect(fulcrum.port())) {
            InputStream slowIn = slow.getInputStream();
            RawHttp.write(slow, "GET /slow HTTP/1.1\r\nHost: lb.test\r\nX-Slow: ");
            // a byte every 100 ms keeps the connection far from idle: only the header timeout can end it
            Future<?> trickling = trickler.submit(() -> trickle(slow, slowIn));

            RawHttp.Response normal = RawHttp.exchange(fulcrum.port(), RawHttp.getRequest("/fast"));
            assertThat(normal.status()).isEqualTo(200);
            assertThat(normal.body()).isEqualTo("b");

            RawHttp.Response timedOut = RawHttp.read(slowIn);
            assertThat(timedOut.status()).isEqualTo(408);
            assertThat(timedOut.body()).isEqualTo("408 Request Timeout\n");
            assertThat(timedOut.header("Connection")).isEqualToIgnoringCase("close");
            assertClosed(slowIn);
            trickling.get(10, TimeUnit.SECONDS);

            assertThat(backend.received()).extracting(TestBackend.Received::uri).containsExactly("/fast");
            assertThat(fulcrum.server().counters().errors(ErrorCode.REQUEST_TIMEOUT)).isEqualTo(1);
        } finally {
            trickler.shutdownNow();
        }
    }

    @Test
    void stalledRequestBodyGets408AfterTheIdleTimeout() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend(ScriptedBackend.Behaviour.SILENT);
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort())
                     .lbAttributes("{idleTimeout: 500ms}").targets(backend.address()).checksOff());
             Socket client = RawHttp.connect(fulcrum.port())) {
            RawHttp.write(client, "POST /upload HTTP/1.1\r\nHost: lb.test\r\nContent-Length: 100\r\n\r\n0123456789");

            RawHttp.Response response = RawHttp.read(client.getInputStream());
            assertThat(response.status()).isEqualTo(408);
            assertClosed(client.getInputStream());

            assertThat(backend.requestHeads()).hasSize(1); // the head had been forwarded; the body never completed
            assertThat(fulcrum.server().counters().errors(ErrorCode.REQUEST_TIMEOUT)).isEqualTo(1);
            assertThat(fulcrum.server().counters().errors(ErrorCode.GATEWAY_TIMEOUT)).isZero();
        }
    }

    /** Writes one header byte every 100 ms until the balancer answers or closes. */
    private static Void trickle(Socket socket, InputStream in) throws IOException, InterruptedException {
        OutputStream out = socket.getOutputStream();
        try {
            for (int i = 0; i < 200 && in.available() == 0; i++) {
                out.write('a');
                out.flush();
                Thread.sleep(100);
            }
        } catch (SocketException e) {
            // closed by the balancer: the point of the test
        }
        return null;
    }

    /** The connection ends with no further byte: a FIN, or a reset caused by bytes we sent after it. */
    private static void assertClosed(InputStream in) throws IOException {
        try {
            assertThat(in.read()).isEqualTo(-1);
        } catch (SocketException e) {
            assertThat(e.getMessage()).containsIgnoringCase("reset");
        }
    }
}
