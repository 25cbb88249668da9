package io.fulcrum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.model.ListenerCertificate;
import io.fulcrum.tls.LoadedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CertCommandTest {
    @TempDir
    Path dir;

    @Test
    void selfSignedWritesAKeyAndACertificateThatLoad() throws Exception {
        int exit = new CommandLine(new Main()).execute("cert", "self-signed", "--name", "example.test",
                "--name", "*.example.test", "--out-dir", dir.toString(), "--days", "10", "--key-type", "rsa");
        assertThat(exit).isZero();
        LoadedCertificate loaded = LoadedCertificate.load(new ListenerCertificate(
                dir.resolve("example.test.crt").toString(), dir.resolve("example.test.key").toString()), Clock.systemUTC());
        assertThat(loaded.names()).containsExactly("example.test", "*.example.test");
        assertThat(loaded.key().getAlgorithm()).isEqualTo("RSA");
        assertThat(loaded.leaf().getNotAfter().toInstant()).isBetween(Instant.now().plus(Duration.ofDays(9)),
                Instant.now().plus(Duration.ofDays(11)));
        assertThat(Files.getPosixFilePermissions(dir.resolve("example.test.key")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void anUnknownKeyTypeIsAnError() {
        assertThat(new CommandLine(new Main()).execute("cert", "self-signed", "--name", "x.test", "--out-dir",
                dir.toString(), "--key-type", "dsa")).isEqualTo(2);
        assertThat(dir).isEmptyDirectory();
    }
}
