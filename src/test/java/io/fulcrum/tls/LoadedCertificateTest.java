package io.fulcrum.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fulcrum.model.ListenerCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadedCertificateTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private TestCertificates.Written write(String base, SelfSignedCertificate.KeyType type, boolean pkcs8,
                                           String... names) throws Exception {
        return TestCertificates.write(dir, base, type, pkcs8, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)),
                names);
    }

    @Test
    void readsPkcs8AndTraditionalRsaAndEcKeys() throws Exception {
        for (SelfSignedCertificate.KeyType type : SelfSignedCertificate.KeyType.values()) {
            for (boolean pkcs8 : new boolean[] {true, false}) {
                TestCertificates.Written written = write(type + "-" + pkcs8, type, pkcs8, "a.example.test", "*.b.example.test");
                String header = Files.readString(written.key()).lines().findFirst().orElseThrow();
                assertThat(header).isEqualTo(pkcs8 ? "-----BEGIN PRIVATE KEY-----"
                        : "-----BEGIN " + type.name() + " PRIVATE KEY-----");
                LoadedCertificate loaded = LoadedCertificate.load(written.files(), CLOCK);
                assertThat(loaded.names()).containsExactly("a.example.test", "*.b.example.test");
                assertThat(loaded.key().getAlgorithm()).startsWith(type == SelfSignedCertificate.KeyType.RSA ? "RSA" : "EC");
            }
        }
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingTheKeyFile() throws Exception {
        TestCertificates.Written one = write("one", SelfSignedCertificate.KeyType.EC, true, "one.test");
        TestCertificates.Written two = write("two", SelfSignedCertificate.KeyType.EC, true, "two.test");
        ListenerCertificate mixed = new ListenerCertificate(one.certificate().toString(), two.key().toString());
        assertThatThrownBy(() -> LoadedCertificate.load(mixed, CLOCK))
                .isInstanceOfSatisfying(TlsMaterialException.class, e -> assertThat(e.file()).isEqualTo(two.key().toString()))
                .hasMessageContaining("this key does not belong to the certificate in " + one.certificate());
    }

    @Test
    void anRsaKeyOfAnotherCertificateIsRefusedToo() throws Exception {
        TestCertificates.Written one = write("rsa-one", SelfSignedCertificate.KeyType.RSA, true, "one.test");
        TestCertificates.Written two = write("rsa-two", SelfSignedCertificate.KeyType.RSA, false, "two.test");
        assertThatThrownBy(() -> LoadedCertificate.load(
                new ListenerCertificate(one.certificate().toString(), two.key().toString()), CLOCK))
                .hasMessageContaining("this key does not belong to the certificate in " + one.certificate());
    }

    /** OpenSSL writes an EC key's public point into the key file: that is what is compared, both ways. */
    @Test
    void openSslEcKeysAreMatchedByTheirPublicPoint() throws Exception {
        for (String name : new String[] {"first", "second"}) {
            Tools.Run made = Tools.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-days", "3650", "-subj", "/CN=" + name + ".test",
                    "-keyout", dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".crt").toString());
            assertThat(made.exitCode()).as(made.output()).isZero();
        }
        Clock later = Clock.systemUTC();
        LoadedCertificate loaded = LoadedCertificate.load(new ListenerCertificate(
                dir.resolve("first.crt").toString(), dir.resolve("first.key").toString()), later);
        assertThat(loaded.key().getAlgorithm()).startsWith("EC");
        byte[] certificatePoint = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(
                loaded.leaf().getPublicKey().getEncoded()).getPublicKeyData().getOctets();
        try (var parser = new org.bouncycastle.openssl.PEMParser(Files.newBufferedReader(dir.resolve("first.key")))) {
            Object read = parser.readObject();
            org.bouncycastle.asn1.pkcs.PrivateKeyInfo fromFile = read instanceof org.bouncycastle.openssl.PEMKeyPair pair
                    ? pair.getPrivateKeyInfo() : (org.bouncycastle.asn1.pkcs.PrivateKeyInfo) read;
            assertThat(LoadedCertificate.embeddedEcPoint(fromFile)).isEqualTo(certificatePoint);
        }
        assertThatThrownBy(() -> LoadedCertificate.load(new ListenerCertificate(
                dir.resolve("first.crt").toString(), dir.resolve("second.key").toString()), later))
                .hasMessageContaining("this key does not belong to the certificate");
    }

    @Test
    void anExpiredCertificateIsRefusedNamingItsFile() throws Exception {
        TestCertificates.Written old = TestCertificates.write(dir, "old", SelfSignedCertificate.KeyType.EC, true,
                NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1)), "old.test");
        assertThatThrownBy(() -> LoadedCertificate.load(old.files(), CLOCK))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageStartingWith(old.certificate() + ": expired on ")
                .hasMessageContaining("renew it");
    }

    @Test
    void missingAndMalformedFilesAreNamed() throws Exception {
        TestCertificates.Written good = write("good", SelfSignedCertificate.KeyType.EC, true, "good.test");
        Path missing = dir.resolve("missing.crt");
        assertThatThrownBy(() -> LoadedCertificate.load(new ListenerCertificate(missing.toString(), good.key().toString()), CLOCK))
                .hasMessage(missing + ": no such file (expected: a PEM certificate chain)");
        Path garbage = dir.resolve("garbage.key");
        Files.writeString(garbage, "not a key\n");
        assertThatThrownBy(() -> LoadedCertificate.load(new ListenerCertificate(good.certificate().toString(), garbage.toString()), CLOCK))
                .hasMessageStartingWith(garbage + ": no PEM block");
        Path notACertificate = dir.resolve("key-as-cert.crt");
        Files.copy(good.key(), notACertificate);
        assertThatThrownBy(() -> LoadedCertificate.load(new ListenerCertificate(notACertificate.toString(), good.key().toString()), CLOCK))
                .hasMessageStartingWith(notACertificate + ": ");
    }
}
