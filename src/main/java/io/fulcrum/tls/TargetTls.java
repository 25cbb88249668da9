package io.fulcrum.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import javax.net.ssl.SSLException;

/**
 * Client TLS toward HTTPS targets and HTTPS health checks. As ALB, targets' certificates are not
 * verified by default (self-signed ones are common behind a balancer); a group can ask for
 * verification against the system's trusted authorities and the target's name.
 */
public final class TargetTls {
    /** TLS 1.2 and 1.3: what the JDK and BoringSSL both speak without lowering their defaults. */
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static volatile TargetTls shared;

    private final SslContext trusting;
    private final SslContext verifying;

    private TargetTls(SslContext trusting, SslContext verifying) {
        this.trusting = trusting;
        this.verifying = verifying;
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
        TlsProvider provider = TlsProvider.current();
        try {
            SslContext trusting = SslContextBuilder.forClient()
                    .sslProvider(provider.sslProvider())
                    .protocols(PROTOCOLS)
                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .endpointIdentificationAlgorithm(null)
                    .build();
            SslContext verifying = SslContextBuilder.forClient()
                    .sslProvider(provider.sslProvider())
                    .protocols(PROTOCOLS)
                    .endpointIdentificationAlgorithm("HTTPS")
                    .build();
            return new TargetTls(trusting, verifying);
        } catch (SSLException e) {
            throw new IllegalStateException("cannot create the TLS client contexts for HTTPS targets", e);
        }
    }

    /**
     * A handler that opens TLS to a target. The host is sent as SNI when it is a name, not an address,
     * and is the name checked when {@code verify} is on.
     */
    public SslHandler newHandler(ByteBufAllocator allocator, String host, int port, boolean verify) {
        // both providers send SNI by themselves when the peer host is a name
        return (verify ? verifying : trusting).newHandler(allocator, host, port);
    }
}
