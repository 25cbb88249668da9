package io.fulcrum.config;

import static io.fulcrum.config.ConfigProblems.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.model.ConfigProblem;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.Listener;
import io.fulcrum.model.ListenerCertificate;
import io.fulcrum.model.Protocol;
import io.fulcrum.model.HealthCheckProtocol;
import io.fulcrum.tls.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS listener settings: shape, policy names, and certificate files checked at config time. */
class HttpsConfigTest {
    private static final String L = "loadBalancers[0].listeners[0]";

    @TempDir
    Path dir;

    private static String https(String extra) {
        return """
                loadBalancers:
                  - name: web
                    listeners:
                      - protocol: HTTPS
                        port: 8443
                        bindAddress: 127.0.0.1
                %s
                        defaultActions: [{type: forward, targetGroupName: web}]
                targetGroups:
                  - {name: web, protocol: HTTPS, targets: ["127.0.0.1:9001"],
                     healthCheck: {protocol: HTTPS}, attributes: {verifyTargetCertificate: true}}
                """.formatted(extra);
    }

    private void certificate(String base, Instant notBefore, Instant notAfter) throws Exception {
        SelfSignedCertificate.generate(List.of(base + ".test"), notBefore, notAfter, SelfSignedCertificate.KeyType.EC, true)
                .write(dir.resolve(base + ".crt"), dir.resolve(base + ".key"));
    }

    @Test
    void aValidHttpsListenerUsesTheDefaultPolicyAndResolvesFilesAgainstTheConfigDirectory() throws Exception {
        certificate("site", Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)));
        FulcrumConfig config = ConfigLoader.parse(https("""
                        certificates: [{certificateFile: site.crt, keyFile: site.key}]
                """), dir);
        Listener listener = config.loadBalancers().get(0).listeners().get(0);
        assertThat(listener.protocol()).isEqualTo(Protocol.HTTPS);
        assertThat(listener.sslPolicy()).isEqualTo("ELBSecurityPolicy-TLS13-1-2-2021-06");
        assertThat(listener.certificates()).containsExactly(new ListenerCertificate(
                dir.resolve("site.crt").toString(), dir.resolve("site.key").toString()));
        assertThat(config.targetGroups().get(0).protocol()).isEqualTo(Protocol.HTTPS);
        assertThat(config.targetGroups().get(0).healthCheck().protocol()).isEqualTo(HealthCheckProtocol.HTTPS);
        assertThat(config.targetGroups().get(0).attributes().verifyTargetCertificate()).isTrue();
    }

    @Test
    void anHttpsListenerNeedsACertificate() {
        assertThat(of(https(""))).containsExactly(new ConfigProblem(L + ".certificates",
                "empty (expected: at least one {certificateFile, keyFile}: an HTTPS listener needs a default certificate)"));
    }

    @Test
    void anUnknownPolicyGetsADidYouMean() throws Exception {
        certificate("site", Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)));
        assertThat(of(https("""
                        sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-6
                        certificates: [{certificateFile: %s, keyFile: %s}]
                """.formatted(dir.resolve("site.crt"), dir.resolve("site.key"))))).containsExactly(new ConfigProblem(
                L + ".sslPolicy", "\"ELBSecurityPolicy-TLS13-1-2-2021-6\" (did you mean 'ELBSecurityPolicy-TLS13-1-2-2021-06'?)"));
    }

    @Test
    void missingExpiredAndMismatchedFilesAreNamedAtConfigTime() throws Exception {
        certificate("old", Instant.now().minus(Duration.ofDays(10)), Instant.now().minus(Duration.ofDays(1)));
        certificate("a", Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)));
        certificate("b", Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)));
        Files.writeString(dir.resolve("empty.key"), "");
        List<ConfigProblem> problems = of(https("""
                        certificates:
                          - {certificateFile: missing.crt, keyFile: a.key}
                          - {certificateFile: old.crt, keyFile: old.key}
                          - {certificateFile: a.crt, keyFile: b.key}
                          - {certificateFile: a.crt, keyFile: empty.key}
                """).replace("missing.crt", dir.resolve("missing.crt").toString())
                .replace("old.", dir.resolve("old.").toString()).replace("a.crt", dir.resolve("a.crt").toString())
                .replace("b.key", dir.resolve("b.key").toString()).replace("empty.key", dir.resolve("empty.key").toString())
                .replace("keyFile: a.key", "keyFile: " + dir.resolve("a.key")));
        assertThat(problems).extracting(ConfigProblem::path).containsExactly(
                L + ".certificates[0].certificateFile", L + ".certificates[1].certificateFile",
                L + ".certificates[2].keyFile", L + ".certificates[3].keyFile");
        assertThat(problems.get(0).message()).isEqualTo(dir.resolve("missing.crt") + ": no such file (expected: a PEM certificate chain)");
        assertThat(problems.get(1).message()).startsWith(dir.resolve("old.crt") + ": expired on ");
        assertThat(problems.get(2).message()).startsWith(dir.resolve("b.key") + ": this key does not belong to the certificate in "
                + dir.resolve("a.crt"));
        assertThat(problems.get(3).message()).startsWith(dir.resolve("empty.key") + ": no PEM block");
    }
}
