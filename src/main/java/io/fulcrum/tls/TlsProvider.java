package io.fulcrum.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS implementation in use: OpenSSL (BoringSSL through netty-tcnative) when its native library
 * loads on this machine, the JDK's otherwise; and what each can honour of a security policy.
 */
public final class TlsProvider {
    private static final Logger LOG = LoggerFactory.getLogger(TlsProvider.class);
    private static final TlsProvider CURRENT = detect();

    private final SslProvider provider;
    private final String description;
    private final Set<String> protocols;
    private final Set<String> jdkCiphers;

    private TlsProvider(SslProvider provider, String description, Set<String> protocols, Set<String> jdkCiphers) {
        this.provider = provider;
        this.description = description;
        this.protocols = protocols;
        this.jdkCiphers = jdkCiphers;
    }

    /** The provider of this process, chosen once (and logged) on first use. */
    public static TlsProvider current() {
        return CURRENT;
    }

    private static TlsProvider detect() {
        TlsProvider chosen;
        if (OpenSsl.isAvailable()) {
            // BoringSSL still speaks TLS 1.0 and 1.1 when asked to (checked with openssl s_client in the tests)
            chosen = new TlsProvider(SslProvider.OPENSSL, "OpenSSL (" + OpenSsl.versionString() + ", netty-tcnative)",
                    Set.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"), Set.of());
        } else {
            chosen = jdk("OpenSSL not loaded: " + OpenSsl.unavailabilityCause());
        }
        LOG.info("TLS provider: {}", chosen.description);
        return chosen;
    }

    /** The JDK's provider, whatever loads; for tests of what it refuses. */
    static TlsProvider jdk() {
        return jdk("chosen by a test");
    }

    private static TlsProvider jdk(String why) {
        SSLParameters jdk;
        try {
            jdk = SSLContext.getDefault().getDefaultSSLParameters();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
        // the JDK's enabled protocols leave out those jdk.tls.disabledAlgorithms turns off (TLS 1.0, 1.1)
        return new TlsProvider(SslProvider.JDK, "JDK " + System.getProperty("java.version") + " (" + why + ")",
                Set.of(jdk.getProtocols()), Set.of(jdk.getCipherSuites()));
    }

    public SslProvider sslProvider() {
        return provider;
    }

    /** For logs: the library and its version. */
    public String description() {
        return description;
    }

    public boolean isOpenSsl() {
        return provider == SslProvider.OPENSSL;
    }

    /**
     * Why this provider cannot serve the policy as AWS defines its protocols, or null when it can.
     * A policy's protocols are its promise to old clients, so a missing one refuses the policy.
     */
    public String refusal(SslPolicy policy) {
        List<String> missing = new ArrayList<>();
        for (String protocol : policy.protocols()) {
            if (!protocols.contains(protocol)) {
                missing.add(protocol);
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        return "the TLS provider in use (" + description + ") refuses " + String.join(" and ", missing)
                + (isOpenSsl() ? "" : "; the JDK disables TLS 1.0 and 1.1 (jdk.tls.disabledAlgorithms)")
                + " (expected: a policy with TLS 1.2 or later only, like ELBSecurityPolicy-TLS13-1-2-2021-06)";
    }

    /** The policy's ciphers this provider has, by IANA name, in the policy's order. */
    public List<String> ciphers(SslPolicy policy) {
        List<String> offered = new ArrayList<>();
        for (String cipher : policy.ianaCiphers()) {
            if (isOpenSsl() ? OpenSsl.isCipherSuiteAvailable(cipher) : jdkCiphers.contains(cipher)) {
                offered.add(cipher);
            }
        }
        return offered;
    }

    /** The policy's ciphers this provider lacks, by AWS's name (BoringSSL dropped the CBC-SHA256/384 ones). */
    public List<String> missingCiphers(SslPolicy policy) {
        List<String> offered = ciphers(policy);
        return policy.ciphers().stream().filter(c -> !offered.contains(CipherNames.iana(c))).toList();
    }
}
