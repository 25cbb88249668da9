package io.fulcrum.proxy;

import static io.fulcrum.testing.TestConfigs.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** WebSocket through the balancer with the JDK's client against a Netty echo server. */
class WebSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void messagesGoBothWaysAndTheHandshakeIsForwarded() throws Exception {
        try (WebSocketEchoBackend backend = new WebSocketEchoBackend();
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort()).checksOff().targets(backend.address()))) {
            Messages messages = new Messages();
            WebSocket socket = open(fulcrum, "/ws/chat", messages);
            socket.sendText("hello", true).get(10, TimeUnit.SECONDS);
            assertThat(messages.next()).isEqualTo("hello");
            socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(10, TimeUnit.SECONDS);
            assertThat(messages.next()).isEqualTo("binary:3");
            for (int i = 0; i < 20; i++) {
                socket.sendText("m" + i, true).get(10, TimeUnit.SECONDS);
            }
            for (int i = 0; i < 20; i++) {
                assertThat(messages.next()).isEqualTo("m" + i);
            }
            assertThat(backend.handshakes).hasSize(1);
            assertThat(backend.handshakes.get(0).get("X-Forwarded-For")).isEqualTo("127.0.0.1");
            assertThat(backend.handshakes.get(0).get("Upgrade")).isEqualToIgnoringCase("websocket");
            assertThat(fulcrum.server().counters().webSocketsOpen()).isEqualTo(1);
            assertThat(fulcrum.server().counters().requests()).isEqualTo(1);
            socket.abort();
        }
    }

    @Test
    void aLargeMessageArrivesWhole() throws Exception {
        try (WebSocketEchoBackend backend = new WebSocketEchoBackend();
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort()).checksOff().targets(backend.address()))) {
            Messages messages = new Messages();
            WebSocket socket = open(fulcrum, "/ws", messages);
            Random random = new Random(7);
            StringBuilder big = new StringBuilder(4 * 1024 * 1024);
            for (int i = 0; i < 4 * 1024 * 1024; i++) {
                big.append((char) ('a' + random.nextInt(26)));
            }
            socket.sendText(big, true).get(30, TimeUnit.SECONDS);
            assertThat(messages.next()).isEqualTo(big.toString());
            socket.abort();
        }
    }

    @Test
    void theCloseHandshakeClosesBothConnections() throws Exception {
        try (WebSocketEchoBackend backend = new WebSocketEchoBackend();
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort()).checksOff().targets(backend.address()))) {
            Messages messages = new Messages();
            WebSocket socket = open(fulcrum, "/ws", messages);
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
            assertThat(messages.closed.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(backend.open).hasValue(0);
                assertThat(fulcrum.server().counters().webSocketsOpen()).isZero();
                assertThat(fulcrum.server().listeners().values().iterator().next().openConnections()).isZero();
            });
            assertThat(fulcrum.server().counters().webSocketsOpened()).isEqualTo(1);
        }
    }

    @Test
    void anIdleWebSocketIsClosedByTheIdleTimeoutButTrafficKeepsItOpen() throws Exception {
        try (WebSocketEchoBackend backend = new WebSocketEchoBackend();
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort()).checksOff().targets(backend.address())
                     .lbAttributes("{idleTimeout: 1500ms}"))) {
            Messages messages = new Messages();
            WebSocket socket = open(fulcrum, "/ws", messages);
            // 12 round trips 250 ms apart span twice the idle timeout: traffic must keep the tunnel open
            for (int i = 0; i < 12; i++) {
                socket.sendText("beat" + i, true).get(10, TimeUnit.SECONDS);
                assertThat(messages.next()).isEqualTo("beat" + i);
                Thread.sleep(250);
            }
            assertThat(messages.closed).isNotDone();
            await().atMost(WAIT).until(messages.closed::isDone);
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(backend.open).hasValue(0);
                assertThat(fulcrum.server().counters().webSocketsOpen()).isZero();
            });
        }
    }

    @Test
    void aTargetThatDoesNotSwitchGivesAnOrdinaryResponse() throws Exception {
        try (TestBackend backend = new TestBackend("plain");
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort()).checksOff().targets(backend.address()))) {
            HttpClient client = HttpClient.newHttpClient();
            CompletableFuture<WebSocket> attempt = client.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + fulcrum.port() + "/ws"), new Messages());
            assertThatThrownBy(() -> attempt.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(200));
            assertThat(backend.received().get(0).header("Upgrade")).isEqualToIgnoringCase("websocket");
            HttpResponse<String> after = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + fulcrum.port() + "/after")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(after.body()).isEqualTo("plain");
            assertThat(fulcrum.server().counters().webSocketsOpened()).isZero();
        }
    }

    private static WebSocket open(RunningFulcrum fulcrum, String path, Messages messages) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + fulcrum.port() + path), messages)
                .get(10, TimeUnit.SECONDS);
    }

    /** Collects whole messages (text as is, binary as "binary:length") and the close. */
    private static final class Messages implements WebSocket.Listener {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private int binary;

        String next() throws InterruptedException {
            String message = received.poll(30, TimeUnit.SECONDS);
            assertThat(message).as("a message within 30 s").isNotNull();
            return message;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            binary += data.remaining();
            if (last) {
                received.add("binary:" + binary);
                binary = 0;
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
