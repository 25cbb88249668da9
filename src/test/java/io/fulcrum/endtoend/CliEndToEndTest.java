package io.fulcrum.endtoend;

import io.fulcrum.cli.Main;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import io.fulcrum.testing.TestConfigs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's CLI against a real {@code fulcrum run} in its own JVM: `get -o yaml` then `apply -f`
 * round-trips, diff and apply of an edit, revisions and rollback, target health, and the exit codes.
 */
class CliEndToEndTest {
    private static final Pattern URL = Pattern.compile("Admin API on (http://127\\.0\\.0\\.1:\\d+)");

    @TempDir
    Path dir;

    private String adminUrl;
    private Path data;

    /** A CLI run's exit code and output. */
    private record Result(int exit, String output) {
    }

    /** The CLI in this JVM (a real HTTP client of the separate `fulcrum run`), its stdout and stderr captured. */
    private Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--admin-url", adminUrl, "--data-dir", data.toString()));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            int exit = new CommandLine(new Main()).execute(all.toArray(String[]::new));
            return new Result(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void exportApplyDiffRollbackAndHealthThroughTheCli() throws Exception {
        try (TestBackend backend = new TestBackend("b1")) {
            Path config = dir.resolve("fulcrum.yaml");
            Files.writeString(config, TestConfigs.web(RunningFulcrum.freePort()).targets(backend.address()).yaml());
            data = dir.resolve("data");
            try (FulcrumProcess run = FulcrumProcess.start(dir, "run", "--config", config.toString(),
                    "--data-dir", data.toString(), "--admin-address", "127.0.0.1:0")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> URL.matcher(run.output()).find());
                Matcher url = URL.matcher(run.output());
                assertThat(url.find()).isTrue();
                adminUrl = url.group(1);

                Result table = cli("get");
                assertThat(table.exit()).as(table.output()).isZero();
                assertThat(table.output()).contains("revision 1").contains("TARGET-GROUPS").contains("web")
                        .contains(backend.address().substring(backend.address().indexOf(':') + 1));

                // the export applies back without any change
                Result export = cli("get", "-o", "yaml");
                assertThat(export.exit()).isZero();
                Path exported = dir.resolve("exported.yaml");
                Files.writeString(exported, export.output());
                Result noDiff = cli("diff", "-f", exported.toString());
                assertThat(noDiff.exit()).as(noDiff.output()).isZero();
                assertThat(noDiff.output()).contains("No differences from revision 1");
                Result unchanged = cli("apply", "-f", exported.toString());
                assertThat(unchanged.exit()).as(unchanged.output()).isZero();
                assertThat(unchanged.output()).contains("unchanged (revision 1)");

                // an edit: diff names it and exits 1, apply stores it as revision 2
                Path edited = dir.resolve("edited.yaml");
                Files.writeString(edited, export.output().replace("interval: 200ms", "interval: 300ms"));
                Result diff = cli("diff", "-f", edited.toString());
                assertThat(diff.exit()).as(diff.output()).isEqualTo(1);
                assertThat(diff.output()).contains("~ targetGroup web").contains("healthCheck.interval");
                Result applied = cli("apply", "-f", edited.toString());
                assertThat(applied.exit()).as(applied.output()).isZero();
                assertThat(applied.output()).contains("applied as revision 2");
                assertThat(cli("get", "tg", "web", "-o", "json").output()).contains("\"interval\" : \"300ms\"");

                Result revisions = cli("get", "revisions");
                assertThat(revisions.output()).contains("REVISION").contains("fulcrum run --config");
                Result rollback = cli("rollback", "1");
                assertThat(rollback.exit()).as(rollback.output()).isZero();
                assertThat(rollback.output()).contains("now revision 3");
                assertThat(cli("diff", "-f", exported.toString()).exit()).isZero();

                await().atMost(Duration.ofSeconds(30)).until(() -> cli("describe-target-health", "web").output()
                        .contains("healthy"));
                Result health = cli("describe-target-health", "web");
                assertThat(health.output()).contains("STATE").contains("127.0.0.1");

                // exit codes scripts can branch on
                Result notFound = cli("get", "tg", "nope");
                assertThat(notFound.exit()).isEqualTo(3);
                assertThat(notFound.output()).contains("target-groups \"nope\" not found");
                assertThat(cli("describe-target-health", "nope").exit()).isEqualTo(3);
                assertThat(cli("activities", "nope").exit()).isEqualTo(3);
                Path invalid = dir.resolve("invalid.yaml");
                Files.writeString(invalid, export.output().replace("interval: 200ms", "interval: soon"));
                Result rejected = cli("apply", "-f", invalid.toString());
                assertThat(rejected.exit()).isEqualTo(2);
                assertThat(rejected.output()).contains("targetGroups[0].healthCheck.interval");
                Path wrongToken = dir.resolve("wrong.token");
                Files.writeString(wrongToken, "not-the-token");
                Result unauthorized = cli("get", "--token-file", wrongToken.toString());
                assertThat(unauthorized.exit()).as(unauthorized.output()).isEqualTo(5);
                assertThat(cli("get", "kinds-of-nothing").exit()).isEqualTo(2);

                run.signal("TERM");
                assertThat(run.waitForExit(60)).isZero();
            }
            adminUrl = "http://127.0.0.1:" + RunningFulcrum.freePort();
            Result unreachable = cli("get");
            assertThat(unreachable.exit()).isEqualTo(6);
            assertThat(unreachable.output()).contains("cannot reach the admin API");
        }
    }

    @Test
    void completionCoversEveryCommand() throws Exception {
        try (FulcrumProcess process = FulcrumProcess.start(dir, "completion")) {
            assertThat(process.waitForExit(60)).isZero();
            assertThat(process.output()).contains("describe-target-health").contains("set-desired-capacity")
                    .contains("rollback");
        }
    }
}
