package io.fulcrum.admin;

import io.fulcrum.control.ControlPlane;
import io.fulcrum.proxy.Transport;
import io.fulcrum.scaling.AutoScaling;
import io.fulcrum.server.FulcrumServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The admin API's HTTP/1.1 listener (loopback by default), with its own event loop and one thread
 * for the control-plane work requests cause.
 */
public final class AdminServer implements AutoCloseable {
    /** Loopback only: the API changes what the balancer serves. */
    public static final String DEFAULT_ADDRESS = "127.0.0.1:9180";
    /** The value of {@code --admin-address} that disables the API. */
    public static final String OFF = "off";
    /** 8 MiB: a whole config of thousands of targets fits; a runaway body does not tie up memory. */
    public static final int DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
    /** Prometheus's text exposition format. */
    static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** The OpenAPI document on the class path (a copy of docs/openapi.yaml). */
    static final String OPENAPI_RESOURCE = "/io/fulcrum/admin/openapi.yaml";
    /** Idle keep-alive connections are closed after this many seconds. */
    private static final int IDLE_SECONDS = 120;

    private final EventLoopGroup group;
    private final ExecutorService executor;
    private final Channel channel;
    private final Router router;
    private volatile boolean ready;

    AdminServer(AdminServerBuilder builder) {
        this.router = router(builder.controlPlane, builder.server, builder.autoScaling, builder.metrics);
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "fulcrum-admin-api");
            thread.setDaemon(true);
            return thread;
        });
        Transport transport = Transport.nio();
        this.group = transport.newGroup(1, "fulcrum-admin-io");
        AdminHandler handler = new AdminHandler(router, builder.token, executor, () -> ready,
                builder.metricsWithoutAuth);
        int maxBody = builder.maxBodyBytes;
        try {
            this.channel = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannelClass())
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(new IdleStateHandler(0, 0, IDLE_SECONDS) {
                                        @Override
                                        protected void channelIdle(io.netty.channel.ChannelHandlerContext ctx,
                                                                   IdleStateEvent evt) {
                                            ctx.close();
                                        }
                                    })
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpObjectAggregator(maxBody))
                                    .addLast(handler);
                        }
                    })
                    .bind(builder.address).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            executor.shutdownNow();
            throw new UncheckedIOException(new IOException("admin API: cannot listen on " + builder.address + ": "
                    + e.getMessage(), e));
        }
    }

    public static AdminServerBuilder builder() {
        return new AdminServerBuilder();
    }

    /**
     * Parses {@code --admin-address}: {@code host:port}, {@code [v6]:port}, or {@code off} (null).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static InetSocketAddress parseAddress(String text) {
        if (text == null || text.equalsIgnoreCase(OFF)) {
            return null;
        }
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "" : text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = -1;
        try {
            port = colon < 0 ? -1 : Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException ignored) {
            // reported below
        }
        if (host.isEmpty() || port < 0 || port > 65_535 || io.netty.util.NetUtil.createByteArrayFromIpAddressString(host) == null) {
            throw new IllegalArgumentException("--admin-address: \"" + text
                    + "\" (expected: an IP address and port like " + DEFAULT_ADDRESS + ", or off)");
        }
        return new InetSocketAddress(host, port);
    }

    private static Router router(ControlPlane controlPlane, FulcrumServer server, AutoScaling autoScaling,
                                 Supplier<String> metrics) {
        Router router = new Router();
        router.addOpen("GET", "/healthz", request -> ApiResponse.text("ok\n", "text/plain; charset=utf-8"))
                .addOpen("GET", "/readyz", request -> ApiResponse.text("ready\n", "text/plain; charset=utf-8"))
                .add("GET", "/metrics", request -> ApiResponse.text(metrics.get(), METRICS_CONTENT_TYPE))
                .add("GET", "/openapi.yaml", request -> ApiResponse.text(openApi(), "application/yaml"));
        Writes writes = new Writes(controlPlane);
        new StateApi(writes).register(router);
        new LoadBalancerApi(writes).register(router);
        new TargetGroupApi(writes, server).register(router);
        new AutoScalingApi(writes, autoScaling).register(router);
        new GroupOperationsApi(writes, autoScaling).register(router);
        new ScalingPoliciesApi(writes).register(router);
        return router;
    }

    static String openApi() {
        try (InputStream in = AdminServer.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The routes, for the test that checks the OpenAPI document covers them. */
    List<Router.Route> routes() {
        return router.routes();
    }

    /** The bound address (its port, when bound to port 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** {@code http://host:port}. */
    public String url() {
        InetSocketAddress address = address();
        String host = address.getAddress().getHostAddress();
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** From now on {@code /readyz} answers 200: the initial state is applied. */
    public void markReady() {
        ready = true;
    }

    public boolean ready() {
        return ready;
    }

    /** Stops listening; requests being handled finish. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
