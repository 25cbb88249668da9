package io.fulcrum.tls;

import io.fulcrum.model.ListenerCertificate;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Certificates made by the test (none are checked in), written as PEM files into a test directory. */
public final class TestCertificates {
    private TestCertificates() {
    }

    /** A certificate valid for a day around now, written as DIR/BASE.crt and DIR/BASE.key (PKCS#8). */
    public static Written write(Path directory, String base, String... names) throws IOException {
        return write(directory, base, SelfSignedCertificate.KeyType.EC, true, Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(1)), names);
    }

    public static Written write(Path directory, String base, SelfSignedCertificate.KeyType type, boolean pkcs8,
                                Instant notBefore, Instant notAfter, String... names) throws IOException {
        SelfSignedCertificate made = SelfSignedCertificate.generate(List.of(names), notBefore, notAfter, type, pkcs8);
        Path certificate = directory.resolve(base + ".crt");
        Path key = directory.resolve(base + ".key");
        made.write(certificate, key);
        return new Written(made, certificate, key);
    }

    /** An SSL context that trusts exactly these certificates. */
    public static SSLContext trusting(X509Certificate... certificates) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < certificates.length; i++) {
            store.setCertificateEntry("c" + i, certificates[i]);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /** An SSL context that accepts any server certificate (for tests that look at which one was served). */
    public static SSLContext trustingEverything() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        return context;
    }

    /** One written certificate. */
    public record Written(SelfSignedCertificate made, Path certificate, Path key) {
        public ListenerCertificate files() {
            return new ListenerCertificate(certificate.toString(), key.toString());
        }

        public X509Certificate x509() {
            return made.certificate();
        }

        /** The YAML flow mapping of this certificate for a listener's certificates list. */
        public String yaml() {
            return "{certificateFile: \"" + certificate + "\", keyFile: \"" + key + "\"}";
        }
    }
}
