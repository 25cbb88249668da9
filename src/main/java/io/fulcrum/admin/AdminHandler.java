package io.fulcrum.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fulcrum.model.ConfigProblem;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers admin requests: the token is checked and the request decoded on the event loop; the route
 * runs on the admin executor (writes reach the disk), and its answer is written back from there.
 */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    private static final String JSON = "application/json";

    private final Router router;
    private final AdminToken token;
    private final ExecutorService executor;
    private final BooleanSupplier ready;
    private final boolean metricsWithoutAuth;

    AdminHandler(Router router, AdminToken token, ExecutorService executor, BooleanSupplier ready,
                 boolean metricsWithoutAuth) {
        this.router = router;
        this.token = token;
        this.executor = executor;
        this.ready = ready;
        this.metricsWithoutAuth = metricsWithoutAuth;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            send(ctx, error(new ApiException(400, ErrorCodes.VALIDATION_ERROR, "malformed HTTP request")), false);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.rawPath();
        String method = request.method().name();
        if (path.equals("/healthz")) {
            send(ctx, ApiResponse.text("ok\n", "text/plain; charset=utf-8"), keepAlive);
            return;
        }
        if (path.equals("/readyz")) {
            send(ctx, ready.getAsBoolean() ? ApiResponse.text("ready\n", "text/plain; charset=utf-8")
                    : new ApiResponse(503, null, "not ready: the initial state is not applied yet\n",
                    "text/plain; charset=utf-8", -1), keepAlive);
            return;
        }
        boolean open = metricsWithoutAuth && path.equals("/metrics");
        if (!open && !token.matches(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            // method, path and peer only: the header may hold a mistyped token
            LOG.warn("Admin API: unauthorized {} {} from {} ({} bearer token)", method, path,
                    ctx.channel().remoteAddress(),
                    request.headers().contains(HttpHeaderNames.AUTHORIZATION) ? "wrong" : "no");
            ApiException unauthorized = new ApiException(401, ErrorCodes.UNAUTHORIZED,
                    "missing or wrong bearer token (expected: Authorization: Bearer <the admin token>)");
            FullHttpResponse response = response(error(unauthorized));
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"fulcrum\"");
            write(ctx, response, keepAlive);
            return;
        }
        Map<String, String> query = new LinkedHashMap<>();
        uri.parameters().forEach((key, values) -> query.put(key, values.isEmpty() ? "" : values.get(0)));
        String body = request.content().toString(StandardCharsets.UTF_8);
        String ifMatch = request.headers().get(HttpHeaderNames.IF_MATCH);
        String cause = request.headers().get("X-Fulcrum-Cause");
        try {
            executor.execute(() -> {
                ApiResponse response = handle(method, path, query, body, ifMatch, cause);
                if (method.equals("GET")) {
                    LOG.debug("Admin API: {} {} -> {}", method, path, response.status());
                } else {
                    LOG.info("Admin API: {} {} from {} -> {}", method, path, ctx.channel().remoteAddress(),
                            response.status());
                }
                send(ctx, response, keepAlive);
            });
        } catch (RejectedExecutionException e) {
            send(ctx, error(new ApiException(503, "ServiceUnavailable", "the admin API is stopping")), false);
        }
    }

    private ApiResponse handle(String method, String path, Map<String, String> query, String body, String ifMatch,
                               String cause) {
        try {
            Router.Match match = router.find(method, path);
            return match.route().handler().handle(new ApiRequest(method, path, match.params(), query, body, ifMatch,
                    cause));
        } catch (ApiException e) {
            return error(e);
        } catch (Exception e) {
            LOG.error("Admin API: {} {} failed", method, path, e);
            return error(new ApiException(500, ErrorCodes.INTERNAL_FAILURE, "internal error: " + e));
        }
    }

    /** {@code {"error": {"code", "message", "problems": [{"path", "message"}]}}}. */
    static ApiResponse error(ApiException e) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("code", e.code());
        error.put("message", e.getMessage());
        List<ConfigProblem> problems = e.problems();
        if (!problems.isEmpty()) {
            ArrayNode list = error.putArray("problems");
            for (ConfigProblem problem : problems) {
                list.addObject().put("path", problem.path()).put("message", problem.message());
            }
        }
        return new ApiResponse(e.status(), body, null, null, -1);
    }

    private static void send(ChannelHandlerContext ctx, ApiResponse response, boolean keepAlive) {
        write(ctx, response(response), keepAlive);
    }

    private static FullHttpResponse response(ApiResponse response) {
        byte[] bytes;
        String type;
        if (response.json() != null) {
            bytes = Json.write(response.json());
            type = JSON;
        } else if (response.text() != null) {
            bytes = response.text().getBytes(StandardCharsets.UTF_8);
            type = response.contentType();
        } else {
            bytes = new byte[0];
            type = null;
        }
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(bytes));
        if (type != null) {
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        }
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        out.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (response.revision() >= 0) {
            out.headers().set(HttpHeaderNames.ETAG, "\"" + response.revision() + "\"");
        }
        return out;
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Admin API connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
