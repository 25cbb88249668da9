package io.fulcrum.endtoend;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.fulcrum.health.ReasonCodes;
import io.fulcrum.health.TargetState;
import io.fulcrum.proxy.LiveTarget;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.tls.TestCertificates;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real grpc-java client and real grpc-java servers through Fulcrum: a {@code GRPC} target group of two
 * servers behind an HTTP listener (h2c prior knowledge, as plaintext grpc-java speaks) and an HTTPS one
 * (h2 by ALPN); unary, server-streaming and bidirectional calls, error statuses with their trailers, and
 * the gRPC health checks, ALB's default and the standard grpc.health.v1 service.
 */
class GrpcEndToEndTest {
    /** Fast checks on ALB's default path: healthy on grpc-status 12, which grpc-java answers for it. */
    private static final String ALB_CHECK = "{interval: 300ms, timeout: 250ms, healthyThreshold: 2, unhealthyThreshold: 2}";
    /** Fast checks on the standard health service: OK and SERVING. */
    private static final String HEALTH_SERVICE_CHECK = "{path: /grpc.health.v1.Health/Check, matcher: '0', "
            + "interval: 300ms, timeout: 250ms, healthyThreshold: 2, unhealthyThreshold: 2}";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    /** Answers "id request". */
    private static final MethodDescriptor<String, String> WHO = method("Who", MethodDescriptor.MethodType.UNARY);
    /** Fails with NOT_FOUND, a description and two trailers. */
    private static final MethodDescriptor<String, String> FAIL = method("Fail", MethodDescriptor.MethodType.UNARY);
    /** Answers n messages "id i" for a request "n". */
    private static final MethodDescriptor<String, String> COUNT =
            method("Count", MethodDescriptor.MethodType.SERVER_STREAMING);
    /** Answers each message with "id message" as it comes; completes when the client does. */
    private static final MethodDescriptor<String, String> ECHO =
            method("Echo", MethodDescriptor.MethodType.BIDI_STREAMING);
    private static final Metadata.Key<String> DETAIL = Metadata.Key.of("x-detail", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<byte[]> BLOB = Metadata.Key.of("x-blob-bin", Metadata.BINARY_BYTE_MARSHALLER);

    @TempDir
    Path dir;

    private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Echo", name))
                .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();
    }

    /** A grpc-java server on loopback: the test.Echo service answering with its id, and the health service. */
    private static final class GrpcTarget implements AutoCloseable {
        final String id;
        final HealthStatusManager health = new HealthStatusManager();
        final Server server;

        GrpcTarget(String id) throws IOException {
            this(id, null);
        }

        /** @param tls the server's certificate for TLS (h2 by ALPN), or null for plaintext h2c */
        GrpcTarget(String id, TestCertificates.Written tls) throws IOException {
            this.id = id;
            ServerServiceDefinition echo = ServerServiceDefinition.builder("test.Echo")
                    .addMethod(WHO, ServerCalls.asyncUnaryCall((request, out) -> {
                        out.onNext(id + " " + request);
                        out.onCompleted();
                    }))
                    .addMethod(FAIL, ServerCalls.asyncUnaryCall((request, out) -> {
                        Metadata trailers = new Metadata();
                        trailers.put(DETAIL, "from " + id);
                        trailers.put(BLOB, new byte[] {0, 1, 2, (byte) 0xFF});
                        out.onError(Status.NOT_FOUND.withDescription("no such thing: " + request)
                                .asRuntimeException(trailers));
                    }))
                    .addMethod(COUNT, ServerCalls.asyncServerStreamingCall((request, out) -> {
                        for (int i = 1; i <= Integer.parseInt(request); i++) {
                            out.onNext(id + " " + i);
                        }
                        out.onCompleted();
                    }))
                    .addMethod(ECHO, ServerCalls.asyncBidiStreamingCall(out -> new StreamObserver<String>() {
                        @Override
                        public void onNext(String message) {
                            out.onNext(id + " " + message);
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                            out.onCompleted();
                        }
                    }))
                    .build();
            NettyServerBuilder builder = NettyServerBuilder.forAddress(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            if (tls != null) {
                builder.sslContext(GrpcSslContexts.forServer(tls.certificate().toFile(), tls.key().toFile()).build());
            }
            server = builder
                    .addService(echo)
                    .addService(health.getHealthService())
                    .build()
                    .start();
        }

        String address() {
            return "127.0.0.1:" + server.getPort();
        }

        @Override
        public void close() throws InterruptedException {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Fulcrum with an HTTP listener (and an HTTPS one when {@code certificate} is given) forwarding to group "grpc". */
    private static RunningFulcrum fulcrum(int port, String healthCheck, TestCertificates.Written certificate,
                                          int tlsPort, GrpcTarget... targets) throws Exception {
        StringBuilder yaml = new StringBuilder("""
                loadBalancers:
                  - name: lb
                    listeners:
                      - port: %d
                        bindAddress: 127.0.0.1
                        defaultActions: [{type: forward, targetGroupName: grpc}]
                """.formatted(port));
        if (certificate != null) {
            yaml.append("""
                          - protocol: HTTPS
                            port: %d
                            bindAddress: 127.0.0.1
                            certificates: [%s]
                            defaultActions: [{type: forward, targetGroupName: grpc}]
                    """.formatted(tlsPort, certificate.yaml()));
        }
        List<String> addresses = new ArrayList<>();
        for (GrpcTarget target : targets) {
            addresses.add('"' + target.address() + '"');
        }
        yaml.append("""
                targetGroups:
                  - name: grpc
                    protocolVersion: GRPC
                    targets: [%s]
                    healthCheck: %s
                """.formatted(String.join(", ", addresses), healthCheck));
        return RunningFulcrum.start(yaml.toString());
    }

    private static ManagedChannel plaintext(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    private static CallOptions options() {
        return CallOptions.DEFAULT.withDeadlineAfter(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static LiveTarget target(RunningFulcrum fulcrum, GrpcTarget target) {
        return fulcrum.server().targetGroup("grpc").targets().stream()
                .filter(t -> t.key().equals(target.address())).findFirst().orElseThrow();
    }

    private static void awaitState(RunningFulcrum fulcrum, GrpcTarget target, TargetState state) {
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(target(fulcrum, target).health().state()).as(target.id).isEqualTo(state));
    }

    /** How many of {@code n} unary calls each server answered, by id. */
    private static Map<String, Integer> whoAnswers(ManagedChannel channel, int n) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String answer = ClientCalls.blockingUnaryCall(channel, WHO, options(), "call" + i);
            assertThat(answer).endsWith(" call" + i);
            counts.merge(answer.substring(0, answer.indexOf(' ')), 1, Integer::sum);
        }
        return counts;
    }

    private static void closeChannel(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void unaryStreamingAndFailingCallsPassThroughWithTheirTrailers() throws Exception {
        try (GrpcTarget a = new GrpcTarget("a");
             GrpcTarget b = new GrpcTarget("b");
             RunningFulcrum fulcrum = fulcrum(RunningFulcrum.freePort(), ALB_CHECK, null, 0, a, b)) {
            // ALB's default check: grpc-java answers UNIMPLEMENTED (12) for /AWS.ALB/healthcheck, so both are healthy
            awaitState(fulcrum, a, TargetState.HEALTHY);
            awaitState(fulcrum, b, TargetState.HEALTHY);
            ManagedChannel channel = plaintext(fulcrum.port());
            try {
                // round robin: one client connection, its calls alternate between the two servers
                assertThat(whoAnswers(channel, 10)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 5, "b", 5));

                StatusRuntimeException failed = catchThrowableOfType(StatusRuntimeException.class,
                        () -> ClientCalls.blockingUnaryCall(channel, FAIL, options(), "x"));
                assertThat(failed.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                assertThat(failed.getStatus().getDescription()).isEqualTo("no such thing: x");
                assertThat(failed.getTrailers().get(DETAIL)).isIn("from a", "from b");
                assertThat(failed.getTrailers().get(BLOB)).containsExactly(0, 1, 2, 0xFF);

                Iterator<String> counted = ClientCalls.blockingServerStreamingCall(channel, COUNT, options(), "50");
                List<String> messages = new ArrayList<>();
                counted.forEachRemaining(messages::add);
                assertThat(messages).hasSize(50);
                String server = messages.get(0).substring(0, 1);
                for (int i = 0; i < 50; i++) {
                    assertThat(messages.get(i)).isEqualTo(server + " " + (i + 1));
                }

                // a message well over the 64 KiB stream windows, both ways
                String big = "x".repeat(1_000_000);
                assertThat(ClientCalls.blockingUnaryCall(channel, WHO, options(), big)).hasSize(1_000_002);

                // bidirectional: each answer comes back before the next message is sent
                List<String> echoed = new CopyOnWriteArrayList<>();
                CompletableFuture<Void> done = new CompletableFuture<>();
                StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(
                        channel.newCall(ECHO, options()), new StreamObserver<>() {
                            @Override
                            public void onNext(String message) {
                                echoed.add(message);
                            }

                            @Override
                            public void onError(Throwable t) {
                                done.completeExceptionally(t);
                            }

                            @Override
                            public void onCompleted() {
                                done.complete(null);
                            }
                        });
                for (int i = 0; i < 3; i++) {
                    requests.onNext("m" + i);
                    int expected = i + 1;
                    await().atMost(WAIT).until(() -> echoed.size() == expected);
                }
                requests.onCompleted();
                done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                String echoer = echoed.get(0).substring(0, 1);
                assertThat(echoed).containsExactly(echoer + " m0", echoer + " m1", echoer + " m2");
            } finally {
                closeChannel(channel);
            }
        }
    }

    @Test
    void theHealthServiceSayingNotServingTakesATargetOutAndServingBringsItBack() throws Exception {
        try (GrpcTarget a = new GrpcTarget("a");
             GrpcTarget b = new GrpcTarget("b");
             RunningFulcrum fulcrum = fulcrum(RunningFulcrum.freePort(), HEALTH_SERVICE_CHECK, null, 0, a, b)) {
            awaitState(fulcrum, a, TargetState.HEALTHY);
            awaitState(fulcrum, b, TargetState.HEALTHY);
            ManagedChannel channel = plaintext(fulcrum.port());
            try {
                // NOT_SERVING comes with grpc-status 0: only the body says the server is out
                b.health.setStatus("", ServingStatus.NOT_SERVING);
                awaitState(fulcrum, b, TargetState.UNHEALTHY);
                assertThat(target(fulcrum, b).health().reason()).isEqualTo(ReasonCodes.FAILED_HEALTH_CHECKS);
                assertThat(target(fulcrum, b).health().status().description())
                        .isEqualTo("Health checks failed: grpc.health.v1 status NOT_SERVING");
                assertThat(target(fulcrum, a).health().state()).isEqualTo(TargetState.HEALTHY);
                assertThat(whoAnswers(channel, 6)).containsExactlyEntriesOf(Map.of("a", 6));

                b.health.setStatus("", ServingStatus.SERVING);
                awaitState(fulcrum, b, TargetState.HEALTHY);
                assertThat(whoAnswers(channel, 10)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 5, "b", 5));

                // a server shutting its health service down answers NOT_SERVING for everything
                a.health.enterTerminalState();
                awaitState(fulcrum, a, TargetState.UNHEALTHY);
                assertThat(whoAnswers(channel, 4)).containsExactlyEntriesOf(Map.of("b", 4));
            } finally {
                closeChannel(channel);
            }
        }
    }

    @Test
    void overTlsTheClientSpeaksH2ByAlpnAndGetsTheSameAnswers() throws Exception {
        TestCertificates.Written certificate = TestCertificates.write(dir, "grpc", "grpc.test");
        int tlsPort = RunningFulcrum.freePort();
        try (GrpcTarget a = new GrpcTarget("a");
             GrpcTarget b = new GrpcTarget("b");
             RunningFulcrum fulcrum = fulcrum(RunningFulcrum.freePort(), ALB_CHECK, certificate, tlsPort, a, b)) {
            awaitState(fulcrum, a, TargetState.HEALTHY);
            awaitState(fulcrum, b, TargetState.HEALTHY);
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", tlsPort)
                    .overrideAuthority("grpc.test") // the certificate's name, sent by SNI and verified
                    .sslContext(GrpcSslContexts.forClient().trustManager(certificate.x509()).build())
                    .build();
            try {
                assertThat(whoAnswers(channel, 10)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 5, "b", 5));
                StatusRuntimeException failed = catchThrowableOfType(StatusRuntimeException.class,
                        () -> ClientCalls.blockingUnaryCall(channel, FAIL, options(), "y"));
                assertThat(failed.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                assertThat(failed.getStatus().getDescription()).isEqualTo("no such thing: y");
                assertThat(failed.getTrailers().get(DETAIL)).isIn("from a", "from b");
            } finally {
                closeChannel(channel);
            }
        }
    }

    @Test
    void aGrpcGroupOverHttpsCallsTlsTargetsWithH2AndChecksThemOverTls() throws Exception {
        TestCertificates.Written certificate = TestCertificates.write(dir, "target", "target.test");
        int port = RunningFulcrum.freePort();
        try (GrpcTarget a = new GrpcTarget("a", certificate);
             RunningFulcrum fulcrum = RunningFulcrum.start("""
                     loadBalancers:
                       - name: lb
                         listeners:
                           - {port: %d, bindAddress: 127.0.0.1, defaultActions: [{type: forward, targetGroupName: grpc}]}
                     targetGroups:
                       - name: grpc
                         protocol: HTTPS
                         protocolVersion: GRPC
                         targets: ["%s"]
                         healthCheck: {protocol: HTTPS, path: /grpc.health.v1.Health/Check, matcher: '0',
                                       interval: 300ms, timeout: 250ms, healthyThreshold: 2, unhealthyThreshold: 2}
                     """.formatted(port, a.address()))) {
            // the standard health service, called over TLS: SERVING
            awaitState(fulcrum, a, TargetState.HEALTHY);
            ManagedChannel channel = plaintext(port);
            try {
                assertThat(whoAnswers(channel, 3)).containsExactlyEntriesOf(Map.of("a", 3));
                StatusRuntimeException failed = catchThrowableOfType(StatusRuntimeException.class,
                        () -> ClientCalls.blockingUnaryCall(channel, FAIL, options(), "z"));
                assertThat(failed.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                assertThat(failed.getTrailers().get(DETAIL)).isEqualTo("from a");
                a.health.setStatus("", ServingStatus.NOT_SERVING);
                awaitState(fulcrum, a, TargetState.UNHEALTHY);
            } finally {
                closeChannel(channel);
            }
        }
    }
}
