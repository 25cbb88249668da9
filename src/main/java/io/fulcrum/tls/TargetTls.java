package io.fulcrum.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import javax.net.ssl.SSLException;

/**
 * Client TLS toward HTTPS targets (HTTP/1.1, or h2 by ALPN), TLS targets and HTTPS health checks. As ALB, targets' certificates are not
 * verified by default (self-signed ones are common behind a balancer); a group can ask for
 * verification against the system's trusted authorities and the target's name.
 */
public final class TargetTls {
    /** TLS 1.2 and 1.3: what the JDK and BoringSSL both speak without lowering their defaults. */
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /**
     * ALPN offering only h2: whatever the target chooses (or nothing) completes the handshake, and the
     * caller checks the choice, so that a target without HTTP/2 is reported as such and not as a TLS error.
     */
    private static final ApplicationProtocolConfig H2_ONLY = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2);
    private static volatile TargetTls shared;

    private final SslContext trusting;
    private final SslContext verifying;
    private final SslContext streamTrusting;
    private final SslContext streamVerifying;
    private final SslContext h2Trusting;
    private final SslContext h2Verifying;

    private TargetTls(SslContext trusting, SslContext verifying, SslContext streamTrusting, SslContext streamVerifying,
                      SslContext h2Trusting, SslContext h2Verifying) {
        this.trusting = trusting;
        this.verifying = verifying;
        this.streamTrusting = streamTrusting;
        this.streamVerifying = streamVerifying;
        this.h2Trusting = h2Trusting;
        this.h2Verifying = h2Verifying;
    }

    /**
     * The process's client contexts, created on first use. Creating them is slow: call this once
     * from a thread that is not an event loop (the server and the health checker do, at start).
     */
    public static TargetTls shared() {
        TargetTls instance = shared;
        if (instance == null) {
            synchronized (TargetTls.class) {
                instance = shared;
                if (instance == null) {
                    instance = create();
                    shared = instance;
                }
            }
        }
        return instance;
    }

    private static TargetTls create() {
        SslProvider provider = TlsProvider.current().sslProvider();
        try {
            // TLS groups relay byte streams that may half-close, so they use the JDK's engine: after our
            // close_notify, BoringSSL's second SSL_shutdown (netty-tcnative calls it while draining the
            // alert) reads and drops application data the target still sends, where the JDK keeps it
            return new TargetTls(trusting(provider, null), verifying(provider, null), trusting(SslProvider.JDK, null),
                    verifying(SslProvider.JDK, null), trusting(provider, H2_ONLY), verifying(provider, H2_ONLY));
        } catch (SSLException e) {
            throw new IllegalStateException("cannot create the TLS client contexts for HTTPS and TLS targets", e);
        }
    }

    /** @param alpn the protocols offered, or null for no ALPN */
    private static SslContext trusting(SslProvider provider, ApplicationProtocolConfig alpn) throws SSLException {
        return SslContextBuilder.forClient()
                .sslProvider(provider)
                .protocols(PROTOCOLS)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .endpointIdentificationAlgorithm(null)
                .applicationProtocolConfig(alpn)
                .build();
    }

    private static SslContext verifying(SslProvider provider, ApplicationProtocolConfig alpn) throws SSLException {
        return SslContextBuilder.forClient()
                .sslProvider(provider)
                .protocols(PROTOCOLS)
                .endpointIdentificationAlgorithm("HTTPS")
                .applicationProtocolConfig(alpn)
                .build();
    }

    /**
     * A handler that opens TLS to a target. The host is sent as SNI when it is a name, not an address,
     * and is the name checked when {@code verify} is on.
     */
    public SslHandler newHandler(ByteBufAllocator allocator, String host, int port, boolean verify) {
        // both providers send SNI by themselves when the peer host is a name
        return (verify ? verifying : trusting).newHandler(allocator, host, port);
    }

    /**
     * A handler that opens TLS to a target of an HTTP2 or GRPC group over HTTPS, offering h2 by ALPN. The
     * handshake succeeds whatever the target chooses: check {@link SslHandler#applicationProtocol()}.
     */
    public SslHandler newH2Handler(ByteBufAllocator allocator, String host, int port, boolean verify) {
        return (verify ? h2Verifying : h2Trusting).newHandler(allocator, host, port);
    }

    /**
     * A handler that opens TLS to a target of a TLS group (a relayed byte stream), as {@link #newHandler}
     * does, with an engine that keeps reading after it sent its close_notify (TLS 1.3's half-close).
     */
    public SslHandler newStreamHandler(ByteBufAllocator allocator, String host, int port, boolean verify) {
        return (verify ? streamVerifying : streamTrusting).newHandler(allocator, host, port);
    }
}
