package io.fulcrum.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fulcrum.config.ConfigLoader;
import io.fulcrum.control.ApplyException;
import io.fulcrum.control.ControlPlane;
import io.fulcrum.control.DesiredState;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.proxy.ListenerBindException;
import io.fulcrum.proxy.ListenerRouting;
import io.fulcrum.proxy.LiveTarget;
import io.fulcrum.proxy.Transport;
import io.fulcrum.server.FulcrumServer;
import io.fulcrum.store.FileStore;
import io.fulcrum.store.Store;
import io.fulcrum.testing.RawHttp;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import io.fulcrum.testing.TestConfigs;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hot-reload proof: while client threads keep requests flowing, 100 revisions go through the
 * control plane (rules added and removed, targets moved between groups, forward weights flipped, a
 * second listener opened and closed). No request fails, and each response is consistent with the
 * revision its {@code X-Fulcrum-Revision} header names: the fixed response of that revision, or a
 * backend that revision routes the path to.
 */
class HotReloadUnderLoadTest {
    private static final int BACKENDS = 6;
    private static final int CHANGES = 100;
    private static final int CLIENTS = 4;
    /** Responses seen under each revision before the next change: every revision is exercised under load. */
    private static final int RESPONSES_PER_REVISION = 50;
    private static final List<String> PATHS = List.of("/a", "/b", "/c", "/fixed", "/other");

    @TempDir
    Path dataDir;

    /** What revision {@code i + 1} (the i-th config) routes where. */
    record Expected(int index, Map<String, Set<String>> backendsByPath, boolean secondListener) {
    }

    @Test
    void hundredChangesUnderLoadFailNoRequestAndMixNoRevision() throws Exception {
        RawHttp.noDelayBackends();
        List<TestBackend> backends = new ArrayList<>();
        for (int b = 0; b < BACKENDS; b++) {
            backends.add(new TestBackend("b" + b));
        }
        int port = RunningFulcrum.freePort();
        int secondPort = RunningFulcrum.freePort();
        List<Expected> expected = new ArrayList<>();
        List<FulcrumConfig> configs = new ArrayList<>();
        for (int i = 0; i <= CHANGES; i++) {
            expected.add(expected(i));
            configs.add(ConfigLoader.parse(yaml(i, port, secondPort, backends)));
        }
        FulcrumServer server = new FulcrumServer(Transport.best(), 2, new byte[32], Clock.systemUTC());
        server.debugRevisionHeader(true);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicIntegerArray perRevision = new AtomicIntegerArray(CHANGES + 2);
        AtomicLong total = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        Load load = new Load();
        try (FileStore store = FileStore.open(dataDir)) {
            ControlPlane plane = new ControlPlane(store, (config, revision) -> {
                try {
                    server.apply(config, revision);
                } catch (ListenerBindException e) {
                    throw new ApplyException(e.getMessage(), e);
                }
            });
            assertThat(plane.update(Store.ANY_REVISION, "change 0", c -> configs.get(0)).revision()).isEqualTo(1);
            for (int c = 0; c < CLIENTS; c++) {
                Thread client = new Thread(() -> load.run(port, expected, perRevision, total, failures,
                        new Random(total.hashCode())), "load-" + c);
                client.start();
                clients.add(client);
            }
            long started = System.nanoTime();
            long updating = 0;
            for (int i = 1; i <= CHANGES; i++) {
                awaitResponses(perRevision, i, failures);
                long t0 = System.nanoTime();
                String kept = backends.get(i % BACKENDS).address(); // in group "ga" both before and after
                LiveTarget before = liveTarget(server, "ga", kept);
                int index = i;
                DesiredState state = plane.update(i, "change " + i, c -> configs.get(index));
                updating += System.nanoTime() - t0;
                assertThat(state.revision()).isEqualTo(i + 1);
                assertThat(liveTarget(server, "ga", kept)).as("target %s kept across revision %d", kept, i + 1)
                        .isSameAs(before);
                if (expected.get(i).secondListener()) {
                    RawHttp.Response response = RawHttp.get(secondPort, "/b");
                    check(expected, "/b", response, failures);
                    assertThat(response.header(ListenerRouting.REVISION_HEADER)).isEqualTo(Long.toString(i + 1));
                } else if (expected.get(i - 1).secondListener()) {
                    assertThatThrownBy(() -> RawHttp.get(secondPort, "/b")).as("the second listener is closed")
                            .isInstanceOf(ConnectException.class);
                }
            }
            awaitResponses(perRevision, CHANGES + 1, failures);
            System.out.printf("%d responses in %d ms, %d ms of it in updates%n", total.get(),
                    (System.nanoTime() - started) / 1_000_000, updating / 1_000_000);
        } finally {
            load.stop = true;
            for (Thread client : clients) {
                client.join(TimeUnit.SECONDS.toMillis(30));
            }
            server.stop(Duration.ZERO);
            backends.forEach(TestBackend::close);
        }
        assertThat(failures).as("failed or mixed responses (of %d)", total.get()).isEmpty();
        for (int r = 1; r <= CHANGES + 1; r++) {
            assertThat(perRevision.get(r)).as("responses under revision %d", r).isGreaterThanOrEqualTo(RESPONSES_PER_REVISION);
        }
    }

    /** Client threads: keep-alive GETs of random paths, reconnecting now and then, each response checked. */
    private static final class Load {
        volatile boolean stop;

        void run(int port, List<Expected> expected, AtomicIntegerArray perRevision, AtomicLong total,
                 ConcurrentLinkedQueue<String> failures, Random random) {
            while (!stop) {
                try (Socket socket = RawHttp.connect(port)) {
                    InputStream in = new BufferedInputStream(socket.getInputStream()); // not a syscall per byte
                    for (int n = 0; n < 200 && !stop; n++) {
                        String path = PATHS.get(random.nextInt(PATHS.size()));
                        RawHttp.write(socket, RawHttp.getRequest(path));
                        RawHttp.Response response = RawHttp.read(in);
                        total.incrementAndGet();
                        int revision = check(expected, path, response, failures);
                        if (revision > 0) {
                            perRevision.incrementAndGet(revision);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    failures.add("request failed: " + e);
                    return;
                }
            }
        }
    }

    /** Checks one response against the revision it names; returns that revision, or 0 when it failed. */
    private static int check(List<Expected> expected, String path, RawHttp.Response response,
                             ConcurrentLinkedQueue<String> failures) {
        String header = response.header(ListenerRouting.REVISION_HEADER);
        if (response.status() != 200 || header == null) {
            failures.add(path + ": " + response.statusLine() + " (revision " + header + "): " + response.body());
            return 0;
        }
        int revision = Integer.parseInt(header);
        if (revision < 1 || revision > expected.size()) {
            failures.add(path + ": revision " + revision + " was never written");
            return 0;
        }
        Expected wanted = expected.get(revision - 1);
        if (path.equals("/fixed")) {
            if (!response.body().equals("fixed-" + wanted.index())) {
                failures.add(path + " under revision " + revision + ": " + response.body());
            }
        } else if (!wanted.backendsByPath().get(path).contains(response.body())) {
            failures.add(path + " under revision " + revision + ": answered by " + response.body()
                    + " (expected one of " + wanted.backendsByPath().get(path) + ")");
        }
        return revision;
    }

    private static void awaitResponses(AtomicIntegerArray perRevision, int revision,
                                       ConcurrentLinkedQueue<String> failures) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a safety net against a hang
        while (perRevision.get(revision) < RESPONSES_PER_REVISION && failures.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no load reached revision " + revision);
            }
            Thread.sleep(1);
        }
        assertThat(failures).isEmpty();
    }

    private static LiveTarget liveTarget(FulcrumServer server, String group, String address) {
        return server.targetGroup(group).targets().stream().filter(t -> t.key().equals(address))
                .findFirst().orElseThrow();
    }

    // ---- the 101 configs ------------------------------------------------------------------------

    private static int[] ga(int i) {
        return new int[] {i % BACKENDS, (i + 1) % BACKENDS};
    }

    private static int[] gb(int i) {
        return i % 3 == 0 ? new int[] {(i + 3) % BACKENDS, (i + 4) % BACKENDS} : new int[] {(i + 3) % BACKENDS};
    }

    private static int[] web(int i) {
        return new int[] {(i + 2) % BACKENDS};
    }

    /** Forward weights of rule /b: to ga only, to gb only, or to both. */
    private static int[] bWeights(int i) {
        return switch (i % 3) {
            case 0 -> new int[] {1, 0};
            case 1 -> new int[] {0, 1};
            default -> new int[] {1, 1};
        };
    }

    /** The /c rule exists in odd revisions only (else /c falls to the default action). */
    private static boolean cRule(int i) {
        return i % 2 == 1;
    }

    private static boolean secondListener(int i) {
        return i % 20 >= 5 && i % 20 < 15;
    }

    static Expected expected(int i) {
        Set<String> b = new TreeSet<>();
        if (bWeights(i)[0] > 0) {
            b.addAll(ids(ga(i)));
        }
        if (bWeights(i)[1] > 0) {
            b.addAll(ids(gb(i)));
        }
        return new Expected(i, Map.of("/a", ids(ga(i)), "/b", b, "/c", cRule(i) ? ids(gb(i)) : ids(web(i)),
                "/other", ids(web(i))), secondListener(i));
    }

    private static Set<String> ids(int[] backends) {
        Set<String> ids = new TreeSet<>();
        for (int b : backends) {
            ids.add("b" + b);
        }
        return ids;
    }

    static String yaml(int i, int port, int secondPort, List<TestBackend> backends) {
        String c = cRule(i) ? """
                          - priority: 3
                            conditions: [{field: path-pattern, values: ["/c"]}]
                            actions: [{type: forward, targetGroupName: gb}]
                """ : "";
        String rules = """
                          - priority: 1
                            conditions: [{field: path-pattern, values: ["/a"]}]
                            actions: [{type: forward, targetGroupName: ga}]
                          - priority: 2
                            conditions: [{field: path-pattern, values: ["/b"]}]
                            actions:
                              - type: forward
                                forwardConfig:
                                  targetGroups: [{targetGroupName: ga, weight: %d}, {targetGroupName: gb, weight: %d}]
                %s          - priority: 4
                            conditions: [{field: path-pattern, values: ["/fixed"]}]
                            actions:
                              - type: fixed-response
                                fixedResponseConfig: {statusCode: 200, contentType: text/plain, messageBody: fixed-%d}
                """.formatted(bWeights(i)[0], bWeights(i)[1], c, i);
        String second = secondListener(i) ? """
                      - port: %d
                        bindAddress: 127.0.0.1
                        rules:
                %s        defaultActions: [{type: forward, targetGroupName: web}]
                """.formatted(secondPort, rules) : "";
        return """
                loadBalancers:
                  - name: lb
                    listeners:
                      - port: %d
                        bindAddress: 127.0.0.1
                        rules:
                %s        defaultActions: [{type: forward, targetGroupName: web}]
                %stargetGroups:
                %s%s%s""".formatted(port, rules, second, group("ga", ga(i), backends), group("gb", gb(i), backends),
                group("web", web(i), backends));
    }

    private static String group(String name, int[] members, List<TestBackend> backends) {
        List<String> targets = new ArrayList<>();
        for (int b : members) {
            targets.add('"' + backends.get(b).address() + '"');
        }
        return """
                  - name: %s
                    targets: [%s]
                    healthCheck: %s
                    attributes: {deregistrationDelay: 1s}
                """.formatted(name, String.join(", ", targets), TestConfigs.FAST_CHECKS);
    }
}
