/**
 * TLS for listeners and targets: certificates read from PEM files (and re-read when they change),
 * SNI selection, AWS's security policies by name, the TLS provider (OpenSSL through netty-tcnative
 * where it loads, the JDK otherwise), client TLS toward HTTPS targets, and self-signed certificates
 * for trying things out. Depends on the model and Netty, never on the proxy or the server.
 */
package io.fulcrum.tls;
