package io.fulcrum.proxy;

import static io.fulcrum.testing.TestConfigs.web;
import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.testing.RawHttp;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The balancer's own error answers for broken targets: 502, 503 and 504, each counted by code. */
class ErrorResponseTest {

    @Test
    void everyTargetRefusingIsAnswered502AfterTryingTheOther() throws Exception {
        String closedA = "127.0.0.1:" + RunningFulcrum.freePort();
        String closedB = "127.0.0.1:" + RunningFulcrum.freePort();
        try (RunningFulcrum fulcrum = RunningFulcrum.start(
                web(RunningFulcrum.freePort()).targets(closedA, closedB).checksOff())) {
            fulcrum.awaitAllHealthy("web");
            RawHttp.Response response = RawHttp.exchange(fulcrum.port(), RawHttp.getRequest("/"));

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.body()).isEqualTo("502 Bad Gateway\n");
            assertThat(response.header("Content-Type")).startsWith("text/plain");
            assertThat(response.header("X-Fulcrum-Request-Id")).hasSize(32);
            ProxyCounters counters = fulcrum.server().counters();
            assertThat(counters.errors(ErrorCode.BAD_GATEWAY)).isEqualTo(1);
            assertThat(counters.retries()).as("the failed connect is retried on the other target once").isEqualTo(1);
        }
    }

    @Test
    void postWhoseTargetClosesWithoutAnsweringIs502AndNotReplayed() throws Exception {
        try (ScriptedBackend closing = new ScriptedBackend(ScriptedBackend.Behaviour.CLOSE_AFTER_REQUEST);
             RunningFulcrum fulcrum = RunningFulcrum.start(
                     web(RunningFulcrum.freePort()).targets(closing.address()).checksOff())) {
            RawHttp.Response response = RawHttp.exchange(fulcrum.port(), RawHttp.postRequest("/orders", "item=1"));

            assertThat(response.status()).isEqualTo(502);
            assertThat(closing.requestHeads()).hasSize(1);
            assertThat(closing.requestHeads().get(0)).startsWith("POST /orders HTTP/1.1");
            assertThat(fulcrum.server().counters().errors(ErrorCode.BAD_GATEWAY)).isEqualTo(1);
            assertThat(fulcrum.server().counters().retries()).isZero();
        }
    }

    @Test
    void postWhoseTargetResetsIs502AndNotReplayed() throws Exception {
        try (ScriptedBackend resetting = new ScriptedBackend(ScriptedBackend.Behaviour.RESET_AFTER_HEAD);
             RunningFulcrum fulcrum = RunningFulcrum.start(
                     web(RunningFulcrum.freePort()).targets(resetting.address()).checksOff())) {
            RawHttp.Response response = RawHttp.exchange(fulcrum.port(), RawHttp.postRequest("/orders", "item=2"));

            assertThat(response.status()).isEqualTo(502);
            assertThat(resetting.requestHeads()).hasSize(1);
            assertThat(fulcrum.server().counters().errors(ErrorCode.BAD_GATEWAY)).isEqualTo(1);
            assertThat(fulcrum.server().counters().retries()).isZero();
        }
    }

    @Test
    void invalidResponseIs502() throws Exception {
        try (ScriptedBackend garbage = new ScriptedBackend(ScriptedBackend.Behaviour.GARBAGE);
             RunningFulcrum fulcrum = RunningFulcrum.start(
                     web(RunningFulcrum.freePort()).targets(garbage.address()).checksOff())) {
            RawHttp.Response response = RawHttp.exchange(fulcrum.port(), RawHttp.getRequest("/"));

            assertThat(response.status()).isEqualTo(502);
            assertThat(garbage.requestHeads()).hasSize(1);
            assertThat(fulcrum.server().counters().errors(ErrorCode.BAD_GATEWAY)).isEqualTo(1);
        }
    }

    @Test
    void groupWithoutTargetsIs503() throws Exception {
        try (RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort()).checksOff())) {
            RawHttp.Response response = RawHttp.exchange(fulcrum.port(), RawHttp.getRequest("/"));

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.body()).isEqualTo("503 Service Unavailable\n");
            assertThat(fulcrum.server().counters().errors(ErrorCode.SERVICE_UNAVAILABLE)).isEqualTo(1);
        }
    }

    @Test
    void targetSilentBeyondResponseTimeoutIs504AndNotReplayed() throws Exception {
        try (ScriptedBackend silent = new ScriptedBackend(ScriptedBackend.Behaviour.SILENT);
             TestBackend other = new TestBackend("other");
             RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort())
                     .targets(silent.address(), other.address()).checksOff()
                     .attributes("{targetResponseTimeout: 300ms}"))) {
            fulcrum.awaitAllHealthy("web");
            int port = fulcrum.port();
            List<Integer> statuses = new ArrayList<>();
            RawHttp.Response timedOut = null;
            while (silent.requestCount() == 0 && statuses.size() < 4) { // round robin reaches the silent one
                RawHttp.Response response = RawHttp.exchange(port, RawHttp.getRequest("/slow"));
                statuses.add(response.status());
                if (response.status() == 504) {
                    timedOut = response;
                }
            }

            assertThat(timedOut).as("statuses %s", statuses).isNotNull();
            assertThat(timedOut.body()).isEqualTo("504 Gateway Timeout\n");
            assertThat(statuses.get(statuses.size() - 1)).isEqualTo(504);
            assertThat(statuses.subList(0, statuses.size() - 1)).allMatch(status -> status == 200);
            assertThat(silent.requestCount()).isEqualTo(1);
            assertThat(other.requestCount()).as("a timed-out request is not replayed").isEqualTo(statuses.size() - 1);
            assertThat(fulcrum.server().counters().errors(ErrorCode.GATEWAY_TIMEOUT)).isEqualTo(1);
            assertThat(fulcrum.server().counters().retries()).isZero();
        }
    }

    /**
     * A connect timeout on loopback: a listening socket that never accepts and whose accept queue is
     * full makes Linux drop further SYNs, so the connect hangs. The code answers 504 for a connect
     * timeout (a {@code ConnectTimeoutException}), as ALB does ("target did not accept in time").
     */
    @Test
    void connectTimeoutIs504() throws Exception {
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket neverAccepts = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            boolean full = false;
            for (int i = 0; i < 16 && !full; i++) {
                Socket filler = new Socket();
                fillers.add(filler);
                try {
                    filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), neverAccepts.getLocalPort()), 200);
                } catch (SocketTimeoutException e) {
                    full = true;
                }
            }
            Assumptions.assumeTrue(full, "this kernel does not drop SYNs to a full accept queue on loopback");
            try (RunningFulcrum fulcrum = RunningFulcrum.start(web(RunningFulcrum.freePort())
                    .targets("127.0.0.1:" + neverAccepts.getLocalPort()).checksOff()
                    .attributes("{connectTimeout: 300ms}"))) {
                RawHttp.Response response = RawHttp.exchange(fulcrum.port(), RawHttp.getRequest("/"));

                assertThat(response.status()).isEqualTo(504);
                assertThat(fulcrum.server().counters().errors(ErrorCode.GATEWAY_TIMEOUT)).isEqualTo(1);
                assertThat(fulcrum.server().counters().errors(ErrorCode.BAD_GATEWAY)).isZero();
            }
        } finally {
            for (Socket filler : fillers) {
                filler.close();
            }
        }
    }
}
