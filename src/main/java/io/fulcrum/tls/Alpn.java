package io.fulcrum.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import java.util.List;

/** The application protocols HTTPS listeners offer by ALPN, most preferred first. */
final class Alpn {
    /** HTTP/2 first, as browsers and curl prefer it; the listener's pipeline branches on the choice. */
    static final List<String> PROTOCOLS = List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);

    /** A client that offers none of ours still gets HTTP/1.1, as a server without ALPN would serve it. */
    static final ApplicationProtocolConfig SERVER = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            PROTOCOLS);

    private Alpn() {
    }
}
