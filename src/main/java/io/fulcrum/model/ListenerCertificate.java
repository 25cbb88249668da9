package io.fulcrum.model;

/**
 * One certificate of an HTTPS listener: PEM files on disk, re-read when they change.
 *
 * @param certificateFile the certificate chain, leaf first (PEM)
 * @param keyFile the leaf's private key (PEM: PKCS#8, or traditional RSA or EC)
 */
public record ListenerCertificate(String certificateFile, String keyFile) {
}
