package io.fulcrum.tls;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * What a client connection negotiated, for the access log: read it with {@link #of(Channel)} on the
 * client channel once the first request arrives (the handshake is over by then); null on plain HTTP.
 *
 * @param protocol as the JDK names it: TLSv1.3, TLSv1.2, ...
 * @param cipherSuite the IANA name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 or TLS_AES_128_GCM_SHA256
 * @param serverName the SNI host name the client sent, or null
 * @param applicationProtocol the ALPN choice (http/1.1), or null when the client sent no ALPN
 */
public record TlsInfo(String protocol, String cipherSuite, String serverName, String applicationProtocol) {
    /** The client channel's attribute that holds its TlsInfo. */
    public static final AttributeKey<TlsInfo> KEY = AttributeKey.valueOf(TlsInfo.class, "tls");

    /** The cipher as AWS's access log writes it (OpenSSL's name, e.g. ECDHE-RSA-AES128-GCM-SHA256). */
    public String awsCipherName() {
        return CipherNames.aws(cipherSuite);
    }

    /** The connection's TLS parameters, or null when it is not TLS or its handshake is not done. */
    public static TlsInfo of(Channel channel) {
        return channel.attr(KEY).get();
    }
}
