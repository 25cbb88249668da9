package io.fulcrum.tls;

import io.fulcrum.model.ListenerCertificate;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of one HTTPS or TLS listener: its certificates (the first is the default one) chosen by SNI,
 * under one security policy. {@link #reloadIfChanged()} re-reads the files when they change and swaps
 * the contexts for new handshakes in one volatile write; open connections keep what they negotiated,
 * and a new file that does not load is logged and never replaces a good one.
 */
public final class ServerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
    /** Sessions kept for resumption by ID, per certificate (tickets need no server state). */
    private static final long SESSION_CACHE_SIZE = 20_000;
    /** ALB-like resumption window. */
    private static final long SESSION_TIMEOUT_SECONDS = 3_600;

    /** What the decrypted bytes carry, which decides what ALPN offers. */
    public enum Application {
        /** HTTPS listeners: ALPN offers h2 and http/1.1. */
        HTTP,
        /** TLS listeners (NLB's, with its alpnPolicy None): no ALPN, the bytes go to TCP targets as they are. */
        TCP
    }

    private final List<ListenerCertificate> certificates;
    private final SslPolicy policy;
    private final Application application;
    private final Clock clock;
    private final TlsProvider provider;
    /** Read by every handshake: host name (or null without SNI) to context. */
    private final Mapping<String, SslContext> byServerName = host -> current().mapping.map(host);
    private volatile Served served;
    /** ALB's ClientTLSNegotiationErrorCount: shared with the ServerTls this one replaced on its listener. */
    private final LongAdder handshakeFailures;
    /** The file stamps of the last load attempt, good or bad, so a bad file is reported once. */
    private List<String> lastSeenStamps;

    /** One loaded set of certificates and their contexts. */
    private record Served(Mapping<String, SslContext> mapping, List<LoadedCertificate> certificates,
                          List<SslContext> contexts) {
    }

    private ServerTls(List<ListenerCertificate> certificates, SslPolicy policy, Application application, Clock clock,
                      TlsProvider provider, LongAdder handshakeFailures) {
        this.certificates = List.copyOf(certificates);
        this.policy = policy;
        this.application = application;
        this.handshakeFailures = handshakeFailures;
        this.clock = clock;
        this.provider = provider;
    }

    /**
     * Loads an HTTPS listener's certificates; blocking file I/O and context creation, never on an event loop.
     *
     * @throws TlsMaterialException naming the first file that cannot be served
     * @throws IllegalArgumentException when the policy cannot be honoured by the provider in use
     */
    public static ServerTls load(List<ListenerCertificate> certificates, SslPolicy policy, Clock clock)
            throws TlsMaterialException {
        return load(certificates, policy, clock, Application.HTTP, null);
    }

    /**
     * Loads a listener's certificates for {@code application}; blocking file I/O and context creation,
     * never on an event loop.
     *
     * @param previous the TLS this one replaces on the same listener, whose handshake failure count goes
     *     on here (the listener's counter never goes back), or null
     * @throws TlsMaterialException naming the first file that cannot be served
     * @throws IllegalArgumentException when the policy cannot be honoured by the provider in use
     */
    public static ServerTls load(List<ListenerCertificate> certificates, SslPolicy policy, Clock clock,
                                 Application application, ServerTls previous) throws TlsMaterialException {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(application, "application");
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("certificates: empty (expected: at least the default certificate)");
        }
        TlsProvider provider = TlsProvider.current();
        String refusal = provider.refusal(policy);
        if (refusal != null) {
            throw new IllegalArgumentException("sslPolicy: " + policy.name() + ": " + refusal);
        }
        List<String> missing = provider.missingCiphers(policy);
        if (!missing.isEmpty()) {
            LOG.info("Security policy {}: {} does not offer {}; the policy's other ciphers are served",
                    policy.name(), provider.description(), String.join(", ", missing));
        }
        ServerTls tls = new ServerTls(certificates, policy, application, clock, provider,
                previous == null ? new LongAdder() : previous.handshakeFailures);
        tls.lastSeenStamps = tls.stamps();
        tls.served = tls.build();
        return tls;
    }

    /** The certificates as configured, default first. */
    public List<ListenerCertificate> certificates() {
        return certificates;
    }

    public SslPolicy policy() {
        return policy;
    }

    public Application application() {
        return application;
    }

    /** True when this serves exactly these settings (a reload that changed nothing keeps it). */
    public boolean serves(List<ListenerCertificate> otherCertificates, String policyName) {
        return certificates.equals(otherCertificates) && policy.name().equals(policyName);
    }

    /** The leaf certificates served now, default first. */
    public List<X509Certificate> servedCertificates() {
        return current().certificates.stream().map(LoadedCertificate::leaf).toList();
    }

    /**
     * Client handshakes that failed (no common protocol or cipher, not TLS at all, ...) since this was
     * loaded, plus those of the ServerTls it replaced.
     */
    public long handshakeFailures() {
        return handshakeFailures.sum();
    }

    /** Adds the handlers that terminate TLS to a new client connection's pipeline, first in line. */
    public void addTo(ChannelPipeline pipeline) {
        pipeline.addFirst("tls-recorder", new HandshakeRecorder(handshakeFailures));
        pipeline.addFirst("tls", new SniHandler(byServerName));
    }

    /**
     * Re-reads the files if any changed since the last look (modification time, size or content). A set that
     * loads replaces the served one for new handshakes; one that does not is logged with the file at
     * fault, once per change, and the served set stays.
     *
     * @return true when new certificates are now served
     */
    public synchronized boolean reloadIfChanged() {
        List<String> stamps = stamps();
        if (stamps.equals(lastSeenStamps)) {
            return false;
        }
        lastSeenStamps = stamps;
        try {
            Served next = build();
            served = next;
            LOG.info("Certificates reloaded: {}", describe(next));
            return true;
        } catch (TlsMaterialException e) {
            LOG.error("Certificate file {} not reloaded: {}; the certificate served until now stays in use",
                    e.file(), e.problem());
            return false;
        } catch (RuntimeException e) {
            LOG.error("Certificates not reloaded: {}; the certificate served until now stays in use", e.toString());
            return false;
        }
    }

    private Served current() {
        return served;
    }

    private Served build() throws TlsMaterialException {
        List<LoadedCertificate> loaded = new ArrayList<>();
        for (ListenerCertificate files : certificates) {
            loaded.add(LoadedCertificate.load(files, clock));
        }
        List<SslContext> contexts = new ArrayList<>();
        for (LoadedCertificate certificate : loaded) {
            contexts.add(context(certificate));
        }
        DomainWildcardMappingBuilder<SslContext> mapping = new DomainWildcardMappingBuilder<>(contexts.get(0));
        // added last to first: on a name two certificates share, the one listed first wins
        for (int i = loaded.size() - 1; i >= 0; i--) {
            for (String name : loaded.get(i).names()) {
                mapping.add(name, contexts.get(i));
            }
        }
        return new Served(mapping.build(), loaded, contexts);
    }

    private SslContext context(LoadedCertificate certificate) throws TlsMaterialException {
        try {
            return SslContextBuilder.forServer(certificate.key(), certificate.chain().toArray(new X509Certificate[0]))
                    .sslProvider(provider.sslProvider())
                    .protocols(policy.protocols())
                    .ciphers(provider.ciphers(policy), SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(application == Application.HTTP ? Alpn.SERVER : null)
                    .sessionCacheSize(SESSION_CACHE_SIZE)
                    .sessionTimeout(SESSION_TIMEOUT_SECONDS)
                    .clientAuth(ClientAuth.NONE)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsMaterialException(certificate.files().certificateFile(), "cannot be served: " + e.getMessage());
        }
    }

    private List<String> stamps() {
        List<String> stamps = new ArrayList<>();
        for (ListenerCertificate files : certificates) {
            stamps.add(stamp(files.certificateFile()));
            stamps.add(stamp(files.keyFile()));
        }
        return stamps;
    }

    /** Time, size and a checksum: a renewal written twice within the clock's resolution is still seen. */
    private static String stamp(String file) {
        try {
            Path path = Path.of(file);
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            CRC32 crc = new CRC32();
            crc.update(Files.readAllBytes(path));
            return attributes.lastModifiedTime().toMillis() + "/" + attributes.size() + "/" + crc.getValue();
        } catch (IOException e) {
            return "unreadable";
        }
    }

    private static String describe(Served served) {
        List<String> parts = new ArrayList<>();
        for (LoadedCertificate certificate : served.certificates) {
            parts.add(certificate.files().certificateFile() + " " + certificate.names() + " until "
                    + certificate.leaf().getNotAfter().toInstant());
        }
        return String.join(", ", parts);
    }
}
