package io.fulcrum.health;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.fulcrum.model.HealthCheck;

/** A TCP check: healthy when the connection is accepted within the timeout. */
final class TcpProber extends Prober {
    TcpProber(ChannelFactory<? extends Channel> channelFactory) {
        super(channelFactory);
    }

    @Override
    void onConnected(Channel ch, String hostHeader, HealthCheck config, Attempt attempt) {
        attempt.finish(ProbeResult.TCP_SUCCESS);
    }
}
