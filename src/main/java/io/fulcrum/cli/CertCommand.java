package io.fulcrum.cli;

import io.fulcrum.tls.SelfSignedCertificate;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fulcrum cert}: certificate helpers for trying HTTPS out. */
@Command(name = "cert", mixinStandardHelpOptions = true, description = "Certificate helpers.",
        subcommands = CertCommand.SelfSigned.class)
final class CertCommand implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** {@code fulcrum cert self-signed --name example.test}: a key and a self-signed certificate as PEM files. */
    @Command(name = "self-signed", mixinStandardHelpOptions = true,
            description = "Write NAME.key and NAME.crt: a private key and a self-signed certificate for the names"
                    + " (the first is the subject; wildcards like *.example.test are allowed). For trying HTTPS out:"
                    + " clients must be told to trust it (curl -k, or --cacert NAME.crt).")
    static final class SelfSigned implements Callable<Integer> {
        @Option(names = "--name", required = true, description = "A DNS name the certificate is for; repeat for more.")
        List<String> names;

        @Option(names = "--out-dir", defaultValue = ".", description = "Where to write the files (default: ${DEFAULT-VALUE}).")
        Path outDir;

        @Option(names = "--days", defaultValue = "365", description = "Days of validity (default: ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--key-type", defaultValue = "ec", description = "ec (P-256) or rsa (2048 bits) (default: ${DEFAULT-VALUE}).")
        String keyType;

        @Override
        public Integer call() throws IOException {
            SelfSignedCertificate.KeyType type;
            try {
                type = SelfSignedCertificate.KeyType.parse(keyType);
            } catch (IllegalArgumentException e) {
                System.err.println("--key-type: " + keyType + " (expected: ec or rsa)");
                return 2;
            }
            if (days < 1) {
                System.err.println("--days: " + days + " (expected: at least 1)");
                return 2;
            }
            Instant now = Instant.now();
            // a minute back: a client whose clock is a little behind still accepts it
            SelfSignedCertificate made = SelfSignedCertificate.generate(names, now.minus(Duration.ofMinutes(1)),
                    now.plus(Duration.ofDays(days)), type, true);
            String base = names.get(0).replace("*", "wildcard");
            Path certificate = outDir.resolve(base + ".crt");
            Path key = outDir.resolve(base + ".key");
            made.write(certificate, key);
            System.out.println("wrote " + certificate + " and " + key + " (" + type.name().toLowerCase(java.util.Locale.ROOT)
                    + ", valid until " + made.certificate().getNotAfter().toInstant() + ")");
            return 0;
        }
    }
}
