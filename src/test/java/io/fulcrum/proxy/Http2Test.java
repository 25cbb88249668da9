package io.fulcrum.proxy;

import static io.fulcrum.testing.TestConfigs.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestConfigs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/2 from clients with prior knowledge (h2c) on an HTTP listener: curl, h2load and a raw frame client. */
class Http2Test {
    private static final long ENHANCE_YOUR_CALM = Http2Error.ENHANCE_YOUR_CALM.code();

    @TempDir
    Path dir;

    /** Group "web" (target b) by default, group "a" (target a) for /a/*. */
    private static TestConfigs.Web twoGroups(PathBackend a, PathBackend b) throws Exception {
        return web(RunningFulcrum.freePort()).checksOff().targets(b.address())
                .rules("""
                        - priority: 1
                          conditions: [{field: path-pattern, values: ["/a/*"]}]
                          actions: [{type: forward, targetGroupName: a}]
                        """)
                .moreTargetGroups("""
                        - name: a
                          targets: ["%s"]
                          healthCheck: %s
                        """.formatted(a.address(), TestConfigs.CHECKS_OFF));
    }

    @Test
    void everyStreamOfOneConnectionIsRoutedByTheRules() throws Exception {
        try (PathBackend a = new PathBackend("a"); PathBackend b = new PathBackend("b");
             RunningFulcrum fulcrum = RunningFulcrum.start(twoGroups(a, b));
             RawHttp2Client client = new RawHttp2Client(fulcrum.port())) {
            client.settings.get(10, TimeUnit.SECONDS);
            // 120 streams open at once on one connection (the limit is 128), half for each group
            client.run(ctx -> {
                for (int i = 0; i < 120; i++) {
                    String group = i % 2 == 0 ? "a" : "b";
                    client.writer().writeHeaders(ctx, 1 + 2 * i, RawHttp2Client.get("/" + group + "/" + i + "?q=" + i),
                            0, true, ctx.newPromise());
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> client.bodies.size() == 120);
            for (int i = 0; i < 120; i++) {
                String group = i % 2 == 0 ? "a" : "b";
                assertThat(client.statuses.get(1 + 2 * i)).isEqualTo("200");
                assertThat(client.bodies.get(1 + 2 * i)).isEqualTo(group + " /" + group + "/" + i + "?q=" + i);
            }
            assertThat(a.uris).hasSize(60).allMatch(uri -> uri.startsWith("/a/"));
            assertThat(b.uris).hasSize(60).allMatch(uri -> uri.startsWith("/b/"));
            assertThat(a.forwardedFor).containsOnly("127.0.0.1");
            assertThat(client.goAway).isNotDone();
        }
    }

    @Test
    void curlWithPriorKnowledgeAndHttp1ShareTheListener() throws Exception {
        try (PathBackend a = new PathBackend("a"); PathBackend b = new PathBackend("b");
             RunningFulcrum fulcrum = RunningFulcrum.start(twoGroups(a, b))) {
            String base = "http://127.0.0.1:" + fulcrum.port();
            // one transfer per curl: Debian's curl 7.88 breaks on reusing a prior-knowledge connection (curl#10634)
            for (String path : List.of("/a/one", "/b/two")) {
                Result curl = run(List.of("curl", "-sS", "--http2-prior-knowledge",
                        "-w", "\n%{http_version} %{response_code}", base + path));
                assertThat(curl.stdout).as(curl.stderr).isEqualTo(path.charAt(1) + " " + path + "\n2 200");
            }
            HttpResponse<String> http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(URI.create(base + "/a/three")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(http1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(http1.body()).isEqualTo("a /a/three");
        }
    }

    @Test
    void h2loadGetsEveryAnswerOverManyConcurrentStreams() throws Exception {
        assumeThat(onPath("h2load")).as("h2load (Debian package nghttp2-client) is installed").isTrue();
        try (PathBackend a = new PathBackend("a"); PathBackend b = new PathBackend("b");
             RunningFulcrum fulcrum = RunningFulcrum.start(twoGroups(a, b))) {
            String base = "http://127.0.0.1:" + fulcrum.port();
            Result load = run(List.of("h2load", "-n", "2000", "-c", "4", "-m", "100", base + "/a/x", base + "/b/y"));
            assertThat(load.exit).as(load.stdout + load.stderr).isZero();
            assertThat(load.stdout).contains("2000 succeeded, 0 failed, 0 errored")
                    .contains("status codes: 2000 2xx");
            assertThat(a.uris).hasSize(1000).containsOnly("/a/x");
            assertThat(b.uris).hasSize(1000).containsOnly("/b/y");
        }
    }

    @Test
    void largeBodiesFlowBothWaysOnAStream() throws Exception {
        try (PathBackend a = new PathBackend("a"); PathBackend b = new PathBackend("b");
             RunningFulcrum fulcrum = RunningFulcrum.start(twoGroups(a, b))) {
            String base = "http://127.0.0.1:" + fulcrum.port();
            byte[] upload = new byte[3 * 1024 * 1024 + 17];
            new Random(11).nextBytes(upload);
            Path file = dir.resolve("upload");
            Files.write(file, upload);
            Path echoed = dir.resolve("echoed");
            Result post = run(List.of("curl", "-sS", "--http2-prior-knowledge", "--data-binary", "@" + file,
                    "-o", echoed.toString(), "-w", "%{http_version} %{response_code}", base + "/echo"));
            assertThat(post.stdout).as(post.stderr).isEqualTo("2 200");
            assertThat(Files.readAllBytes(echoed)).isEqualTo(upload);

            int size = 5 * 1024 * 1024 + 3;
            Path big = dir.resolve("big");
            Result get = run(List.of("curl", "-sS", "--http2-prior-knowledge", "-o", big.toString(),
                    "-w", "%{http_version} %{response_code}", base + "/big?n=" + size));
            assertThat(get.stdout).as(get.stderr).isEqualTo("2 200");
            byte[] body = Files.readAllBytes(big);
            assertThat(body).hasSize(size);
            for (int i = 0; i < size; i += 4093) {
                assertThat(body[i]).isEqualTo(PathBackend.patternAt(i));
            }
        }
    }

    @Test
    void aHeaderListOverTheLimitIsRefusedWith431() throws Exception {
        try (PathBackend a = new PathBackend("a"); PathBackend b = new PathBackend("b");
             RunningFulcrum fulcrum = RunningFulcrum.start(twoGroups(a, b));
             RawHttp2Client client = new RawHttp2Client(fulcrum.port())) {
            client.settings.get(10, TimeUnit.SECONDS);
            // curl and nghttp honour SETTINGS_MAX_HEADER_LIST_SIZE and never send this; a raw client does
            client.run(ctx -> client.writer().writeHeaders(ctx, 1,
                    RawHttp2Client.get("/b/big").add("x-big", "x".repeat(70 * 1024)), 0, true, ctx.newPromise()));
            client.run(ctx -> client.writer().writeHeaders(ctx, 3, RawHttp2Client.get("/b/small"), 0, true, ctx.newPromise()));
            await().atMost(Duration.ofSeconds(10)).until(() -> client.statuses.size() == 2);
            assertThat(client.statuses).containsEntry(1, "431").containsEntry(3, "200");
            assertThat(b.uris).containsExactly("/b/small");
        }
    }

    @Test
    void theServerAnnouncesItsStreamAndHeaderLimits() throws Exception {
        try (PathBackend a = new PathBackend("a"); PathBackend b = new PathBackend("b");
             RunningFulcrum fulcrum = RunningFulcrum.start(twoGroups(a, b));
             RawHttp2Client client = new RawHttp2Client(fulcrum.port())) {
            Http2Settings settings = client.settings.get(10, TimeUnit.SECONDS);
            assertThat(settings.maxConcurrentStreams()).isEqualTo(128L);
            assertThat(settings.maxHeaderListSize()).isEqualTo(64L * 1024);
        }
    }

    @Test
    void aStreamBeyondTheConcurrencyLimitIsRefused() throws Exception {
        try (PathBackend a = new PathBackend("a"); PathBackend b = new PathBackend("b");
             RunningFulcrum fulcrum = RunningFulcrum.start(twoGroups(a, b));
             RawHttp2Client client = new RawHttp2Client(fulcrum.port())) {
            client.settings.get(10, TimeUnit.SECONDS);
            // 130 uploads whose bodies never come keep their streams open: the last two exceed 128
            client.run(ctx -> {
                for (int i = 0; i < 130; i++) {
                    client.writer().writeHeaders(ctx, 1 + 2 * i, RawHttp2Client.get("/b/" + i).method("POST"), 0, false,
                            ctx.newPromise());
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> client.resets.size() >= 2);
            assertThat(client.resets).containsOnlyKeys(257, 259)
                    .containsValue(Http2Error.REFUSED_STREAM.code());
            assertThat(client.goAway).isNotDone();
        }
    }

    @Test
    void rapidResetEndsTheConnectionWithEnhanceYourCalm() throws Exception {
        try (PathBackend a = new PathBackend("a"); PathBackend b = new PathBackend("b");
             RunningFulcrum fulcrum = RunningFulcrum.start(twoGroups(a, b));
             RawHttp2Client client = new RawHttp2Client(fulcrum.port())) {
            client.settings.get(10, TimeUnit.SECONDS);
            // a few resets are normal (a browser cancels requests): they are no reason to hang up
            client.run(ctx -> {
                for (int i = 0; i < 10; i++) {
                    int stream = 1 + 2 * i;
                    client.writer().writeHeaders(ctx, stream, RawHttp2Client.get("/b/" + i), 0, true, ctx.newPromise());
                    client.writer().writeRstStream(ctx, stream, Http2Error.CANCEL.code(), ctx.newPromise());
                }
                client.writer().writeHeaders(ctx, 21, RawHttp2Client.get("/b/after"), 0, true, ctx.newPromise());
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> "200".equals(client.statuses.get(21)));
            assertThat(client.goAway).isNotDone();
            client.run(ctx -> {
                for (int i = 0; i < 1000 && ctx.channel().isActive(); i++) {
                    int stream = 23 + 2 * i;
                    client.writer().writeHeaders(ctx, stream, RawHttp2Client.get("/b/r" + i), 0, true, ctx.newPromise());
                    client.writer().writeRstStream(ctx, stream, Http2Error.CANCEL.code(), ctx.newPromise());
                }
            });
            assertThat(client.goAway.get(10, TimeUnit.SECONDS)).isEqualTo(ENHANCE_YOUR_CALM);
            await().atMost(Duration.ofSeconds(10)).until(() -> !client.channel().isActive());
        }
    }

    @Test
    void aContinuationFloodEndsTheConnection() throws Exception {
        try (PathBackend a = new PathBackend("a"); PathBackend b = new PathBackend("b");
             RunningFulcrum fulcrum = RunningFulcrum.start(twoGroups(a, b))) {
            for (int frameSize : new int[] {16 * 1024, 10}) {
                try (RawHttp2Client client = new RawHttp2Client(fulcrum.port())) {
                    client.settings.get(10, TimeUnit.SECONDS);
                    // HEADERS without END_HEADERS, then CONTINUATION frames that never end the block:
                    // big ones pass the header list limit, small ones the small-frame count
                    client.run(ctx -> {
                        client.writer().writeFrame(ctx, Http2FrameTypes.HEADERS, 1, new Http2Flags().endOfStream(true),
                                Unpooled.wrappedBuffer(new byte[] {(byte) 0x82}), ctx.newPromise());
                        for (int i = 0; i < 200; i++) {
                            ByteBuf fragment = Unpooled.wrappedBuffer(new byte[frameSize]);
                            client.writer().writeFrame(ctx, Http2FrameTypes.CONTINUATION, 1, new Http2Flags(),
                                    fragment, ctx.newPromise());
                        }
                    });
                    // the connection must end; its GOAWAY may be lost to the reset of a close with the flood
                    // still unread in the server's socket, so the code is checked only when it arrived
                    await().atMost(Duration.ofSeconds(20)).until(() -> !client.channel().isActive());
                    Long code = client.goAway.getNow(null);
                    assertThat(code).as("GOAWAY after %d-byte fragments", frameSize)
                            .satisfiesAnyOf(c -> assertThat(c).isNull(),
                                    c -> assertThat(c).isNotEqualTo(Http2Error.NO_ERROR.code()));
                }
            }
            assertThat(a.uris).isEmpty();
            assertThat(b.uris).isEmpty();
        }
    }

    @Test
    void anIdleHttp2ConnectionIsClosed() throws Exception {
        try (PathBackend a = new PathBackend("a"); PathBackend b = new PathBackend("b");
             RunningFulcrum fulcrum = RunningFulcrum.start(twoGroups(a, b).lbAttributes("{idleTimeout: 500ms}"));
             RawHttp2Client client = new RawHttp2Client(fulcrum.port())) {
            client.settings.get(10, TimeUnit.SECONDS);
            client.run(ctx -> client.writer().writeHeaders(ctx, 1, RawHttp2Client.get("/b/1"), 0, true, ctx.newPromise()));
            await().atMost(Duration.ofSeconds(10)).until(() -> "200".equals(client.statuses.get(1)));
            assertThat(client.goAway.get(10, TimeUnit.SECONDS)).isEqualTo(Http2Error.NO_ERROR.code());
            await().atMost(Duration.ofSeconds(10)).until(() -> !client.channel().isActive());
        }
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private Result run(List<String> command) throws IOException, InterruptedException {
        File stdout = dir.resolve("stdout").toFile();
        File stderr = dir.resolve("stderr").toFile();
        Process process = new ProcessBuilder(new ArrayList<>(command))
                .redirectOutput(stdout).redirectError(stderr).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not finish in 120 s");
        }
        return new Result(process.exitValue(), Files.readString(stdout.toPath(), StandardCharsets.UTF_8),
                Files.readString(stderr.toPath(), StandardCharsets.UTF_8));
    }

    private static boolean onPath(String program) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }
}
