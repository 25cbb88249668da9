package io.fulcrum.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.testing.RawHttp;
import io.fulcrum.testing.RunningFulcrum;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A target that answers before it has read the whole request body: the rest of the body still reaches
 * it and the client gets the answer on a connection that stays usable, as with HAProxy and nginx.
 */
class EarlyResponseTest {
    private static final int BODY = 4 * 1024 * 1024;

    @Test
    void theBodyKeepsFlowingToATargetThatAnsweredEarly() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Long> bodyRead = CompletableFuture.supplyAsync(() -> serveEarly(backend));
            String yaml = """
                    loadBalancers:
                      - name: web
                        listeners:
                          - {port: %d, bindAddress: 127.0.0.1, defaultActions: [{type: forward, targetGroupName: web}]}
                    targetGroups:
                      - name: web
                        targets: ["127.0.0.1:%d"]
                        healthCheck: {enabled: false}
                    """.formatted(RunningFulcrum.freePort(), backend.getLocalPort());
            try (RunningFulcrum fulcrum = RunningFulcrum.start(yaml);
                 RawHttp client = new RawHttp(fulcrum.port())) {
                client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + BODY + "\r\n\r\n");
                byte[] block = new byte[64 * 1024];
                for (int sent = 0; sent < BODY; sent += block.length) {
                    client.send(block);
                }
                RawHttp.Response response = client.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("early");
                assertThat(bodyRead.get(60, TimeUnit.SECONDS)).isEqualTo(BODY);
                assertThat(client.closedByServer()).isFalse();
            }
        }
    }

    /** Reads the head, answers at once, then reads (slowly) and counts the whole body. */
    private static long serveEarly(ServerSocket server) {
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return -1;
                }
                head.append((char) b);
            }
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nearly".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long total = 0;
            byte[] buffer = new byte[16 * 1024];
            while (total < BODY) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                total += n;
                if (total % (512 * 1024) < n) {
                    Thread.sleep(5); // a slow reader, so the proxy must hold back the client
                }
            }
            return total;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
