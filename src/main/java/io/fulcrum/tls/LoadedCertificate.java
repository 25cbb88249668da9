package io.fulcrum.tls;

import io.fulcrum.model.ListenerCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A certificate chain and its key, read from PEM files and checked: the files parse, the key belongs
 * to the leaf certificate, and the leaf is valid now.
 *
 * @param names the DNS names the leaf is for (its subject alternative names, else its common name),
 *     lower case; wildcards like {@code *.example.test} kept as written
 */
public record LoadedCertificate(ListenerCertificate files, List<X509Certificate> chain, PrivateKey key,
                                List<String> names) {
    private static final int DNS_NAME = 2;

    public LoadedCertificate {
        chain = List.copyOf(chain);
        names = List.copyOf(names);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /**
     * Reads and checks one certificate's files; blocking file I/O, never on an event loop.
     *
     * @throws TlsMaterialException naming the file at fault and what is wrong with it
     */
    public static LoadedCertificate load(ListenerCertificate files, Clock clock) throws TlsMaterialException {
        List<X509Certificate> chain = readChain(files.certificateFile());
        PrivateKeyInfo keyInfo = readKey(files.keyFile());
        PrivateKey key = toKey(files.keyFile(), keyInfo);
        X509Certificate leaf = chain.get(0);
        if (!matches(key, keyInfo, leaf)) {
            throw new TlsMaterialException(files.keyFile(), "this key does not belong to the certificate in "
                    + files.certificateFile() + " (expected: the private key of " + leaf.getSubjectX500Principal().getName() + ")");
        }
        try {
            leaf.checkValidity(Date.from(clock.instant()));
        } catch (CertificateExpiredException e) {
            throw new TlsMaterialException(files.certificateFile(), "expired on " + leaf.getNotAfter().toInstant()
                    + " (expected: a certificate valid now; renew it)");
        } catch (CertificateNotYetValidException e) {
            throw new TlsMaterialException(files.certificateFile(), "not valid before " + leaf.getNotBefore().toInstant()
                    + " (expected: a certificate valid now)");
        }
        return new LoadedCertificate(files, chain, key, names(leaf));
    }

    private static List<X509Certificate> readChain(String file) throws TlsMaterialException {
        Collection<? extends java.security.cert.Certificate> certificates;
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw new TlsMaterialException(file, "no such file (expected: a PEM certificate chain)");
        } catch (IOException e) {
            throw new TlsMaterialException(file, "cannot be read: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException(file, "not a PEM certificate chain: " + e.getMessage());
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (java.security.cert.Certificate certificate : certificates) {
            chain.add((X509Certificate) certificate);
        }
        if (chain.isEmpty()) {
            throw new TlsMaterialException(file, "no certificate in it (expected: -----BEGIN CERTIFICATE----- blocks, leaf first)");
        }
        return chain;
    }

    private static PrivateKeyInfo readKey(String file) throws TlsMaterialException {
        Object object;
        try (Reader reader = Files.newBufferedReader(Path.of(file)); PEMParser parser = new PEMParser(reader)) {
            object = parser.readObject();
            // an EC key written by `openssl ecparam -genkey` starts with its parameters: skip them
            while (object instanceof org.bouncycastle.asn1.ASN1ObjectIdentifier) {
                object = parser.readObject();
            }
        } catch (NoSuchFileException e) {
            throw new TlsMaterialException(file, "no such file (expected: a PEM private key)");
        } catch (IOException | RuntimeException e) {
            throw new TlsMaterialException(file, "not a PEM private key: " + e.getMessage());
        }
        if (object instanceof PrivateKeyInfo info) {
            return info;
        }
        if (object instanceof PEMKeyPair pair) {
            return pair.getPrivateKeyInfo(); // an EC key may omit its public half
        }
        if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new TlsMaterialException(file, "an encrypted private key (expected: an unencrypted key;"
                    + " protect the file with its permissions)");
        }
        throw new TlsMaterialException(file, (object == null ? "no PEM block" : "a " + object.getClass().getSimpleName())
                + " (expected: -----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static PrivateKey toKey(String file, PrivateKeyInfo info) throws TlsMaterialException {
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException e) {
            throw new TlsMaterialException(file, "an unreadable private key: " + e.getMessage());
        }
    }

    /**
     * Whether the key belongs to the certificate. The public half that both carry decides where it can: an
     * RSA key's modulus and exponent, an EC key's public point (which OpenSSL writes into the key file);
     * otherwise a signature made with the key must verify with the certificate's public key. The JDK's
     * EC signing runs in Java and, at start-up, in the interpreter: comparing points is what keeps it off
     * a balancer's start.
     */
    static boolean matches(PrivateKey key, PrivateKeyInfo info, X509Certificate certificate) {
        java.security.PublicKey publicKey = certificate.getPublicKey();
        if (key instanceof java.security.interfaces.RSAPrivateCrtKey rsa
                && publicKey instanceof java.security.interfaces.RSAPublicKey rsaPublic) {
            return rsa.getModulus().equals(rsaPublic.getModulus())
                    && rsa.getPublicExponent().equals(rsaPublic.getPublicExponent());
        }
        if (key instanceof java.security.interfaces.ECPrivateKey && publicKey instanceof java.security.interfaces.ECPublicKey
                && java.util.Arrays.equals(embeddedEcPoint(info), certificatePoint(publicKey))) {
            return true; // a different point may be the same one in another encoding: the signature decides
        }
        return signatureMatches(key, certificate);
    }

    /** The public point an EC key file carries next to its private scalar (RFC 5915), or null. */
    static byte[] embeddedEcPoint(PrivateKeyInfo info) {
        try {
            org.bouncycastle.asn1.ASN1BitString point =
                    org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey()).getPublicKey();
            return point == null ? null : point.getOctets();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] certificatePoint(java.security.PublicKey publicKey) {
        try {
            return org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(publicKey.getEncoded())
                    .getPublicKeyData().getOctets();
        } catch (RuntimeException e) {
            return new byte[0];
        }
    }

    /** A signature made with the key verifies with the certificate's public key. */
    private static boolean signatureMatches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null || !key.getAlgorithm().equalsIgnoreCase(certificate.getPublicKey().getAlgorithm())
                && !(key.getAlgorithm().startsWith("EC") && certificate.getPublicKey().getAlgorithm().startsWith("EC"))) {
            return false;
        }
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static List<String> names(X509Certificate leaf) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    if (entry.size() >= 2 && entry.get(0) instanceof Integer type && type == DNS_NAME) {
                        names.add(entry.get(1).toString().toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            // a malformed extension: fall back to the common name
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(rdn.getValue().toString().toLowerCase(Locale.ROOT));
                    }
                }
            } catch (InvalidNameException e) {
                // no usable name: the certificate can still be the default one
            }
        }
        return names;
    }
}
