package io.fulcrum.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * A self-signed server certificate and its key as PEM text, for trying HTTPS out and for tests
 * (`fulcrum cert self-signed`). Made with Bouncy Castle; the JDK has no public certificate builder.
 *
 * @param certificatePem one CERTIFICATE block
 * @param keyPem the private key: PKCS#8 (PRIVATE KEY) or the traditional RSA/EC PRIVATE KEY block
 */
public record SelfSignedCertificate(X509Certificate certificate, String certificatePem, String keyPem) {
    /** The kinds of key a certificate can be made with. */
    public enum KeyType {
        /** ECDSA on P-256: small and fast. */
        EC,
        /** RSA 2048: for clients that know nothing else. */
        RSA;

        /** "ec" or "rsa", any case. */
        public static KeyType parse(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * Makes a certificate for {@code names} (the first is the subject's common name; all are subject
     * alternative names; wildcards like *.example.test and IP addresses like 127.0.0.1 are allowed) valid from {@code notBefore} to
     * {@code notAfter}.
     *
     * @param pkcs8 the key as PKCS#8 (true) or as the traditional RSA/EC block (false)
     */
    public static SelfSignedCertificate generate(List<String> names, Instant notBefore, Instant notAfter,
                                                 KeyType keyType, boolean pkcs8) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("names: empty (expected: at least one DNS name)");
        }
        try {
            KeyPair keys = keyPair(keyType);
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, names.get(0)).build();
            List<GeneralName> alternatives = new ArrayList<>();
            for (String name : names) {
                boolean address = name.indexOf(':') >= 0 || name.matches("[0-9.]+");
                alternatives.add(new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName, name));
            }
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(128, new SecureRandom()), Date.from(notBefore), Date.from(notAfter), subject,
                    keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(alternatives.toArray(new GeneralName[0])));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyType == KeyType.RSA
                    ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            String algorithm = keyType == KeyType.RSA ? "SHA256withRSA" : "SHA256withECDSA";
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
            return new SelfSignedCertificate(certificate, pem(new JcaMiscPEMGenerator(certificate)),
                    pkcs8 ? pem(new JcaPKCS8Generator(keys.getPrivate(), null)) : traditional(keys, keyType));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }
    }

    /** The "RSA PRIVATE KEY" or "EC PRIVATE KEY" block, as `openssl genrsa` / `openssl ecparam -genkey` write. */
    private static String traditional(KeyPair keys, KeyType keyType) throws IOException {
        if (keyType == KeyType.RSA) {
            return pem(new JcaMiscPEMGenerator(keys.getPrivate()));
        }
        // the JDK's PKCS#8 encoding keeps the curve outside the inner key: put it back in, as OpenSSL does
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
        org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
        org.bouncycastle.asn1.sec.ECPrivateKey full = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(),
                publicKey.getPublicKeyData(), info.getPrivateKeyAlgorithm().getParameters());
        return pem(new PemObject("EC PRIVATE KEY", full.getEncoded()));
    }

    private static KeyPair keyPair(KeyType keyType) throws GeneralSecurityException {
        if (keyType == KeyType.RSA) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String pem(PemObjectGenerator generator) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(generator);
        }
        return text.toString();
    }

    /**
     * Writes the certificate and key files, each through a temporary file and a rename so that a
     * watching listener never reads half a file. The key is readable by its owner only.
     */
    public void write(Path certificateFile, Path keyFile) throws IOException {
        writeAtomically(keyFile, keyPem, true);
        writeAtomically(certificateFile, certificatePem, false);
    }

    private static void writeAtomically(Path file, String text, boolean secret) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp");
        try {
            try {
                // a temporary file starts owner-only: right for the key, too strict for a certificate
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its defaults apply
            }
            Files.writeString(temporary, text);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
