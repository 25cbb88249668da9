package io.fulcrum.proxy;

import io.fulcrum.balancing.StickyCookie;
import io.fulcrum.balancing.WeightedPicker;
import io.fulcrum.model.Action;
import io.fulcrum.model.FixedResponseAction;
import io.fulcrum.model.ForwardAction;
import io.fulcrum.model.LoadBalancerAttributes;
import io.fulcrum.model.RedirectAction;
import io.fulcrum.model.Stickiness;
import io.fulcrum.model.TargetGroupAttributes;
import io.fulcrum.routing.MatchedRule;
import io.fulcrum.routing.RedirectLocation;
import io.fulcrum.routing.RequestView;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: reads a request head, routes it, and streams the request to a target and the
 * response back, with back-pressure both ways (a side reads only while the other side is writable).
 * Pipelined requests are answered in order: the next request is taken only after the previous
 * response is complete. On HTTP/2 one instance serves each stream, which {@link Http2StreamAdapter}
 * makes look like a connection with one request. Every method runs on the connection's event loop.
 */
final class HttpFrontendHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFrontendHandler.class);
    /** A request body up to this size is read and dropped after a local answer; a larger one closes. */
    private static final long MAX_DISCARDED_BODY = 64 * 1024;
    private static final int MAX_CONNECT_ATTEMPTS = 3;

    private final ProxyContext context;
    private final ListenerSlot slot;
    private final ProxyResponseEncoder encoder;
    private final ArrayDeque<HttpObject> pending = new ArrayDeque<>(4);
    private final RequestView view = new RequestView();
    private final String listenerPort;
    /** X-Forwarded-Proto: "https" when this connection came through TLS. */
    private final String forwardedProto;
    private final long idleTimeoutNanos;
    private final long headerTimeoutNanos;
    /** Counts and logs each exchange (the byte counts come from the ActivityTracker). */
    final ExchangeRecorder recorder;

    private ChannelHandlerContext ctx;
    private String clientAddress;
    private Exchange exchange;
    private boolean closing;
    private boolean clientAutoRead = true;
    private boolean driving;
    private boolean redrive;
    private long lastReadNanos;
    /** When the first byte of a request head not yet complete arrived; -1 when none is pending. */
    private long headStartNanos = -1;
    private ScheduledFuture<?> clientTimer;
    private ScheduledFuture<?> responseTimer;

    HttpFrontendHandler(ProxyContext context, ListenerSlot slot, ProxyResponseEncoder encoder) {
        this(context, slot, encoder, false);
    }

    HttpFrontendHandler(ProxyContext context, ListenerSlot slot, ProxyResponseEncoder encoder, boolean secure) {
        this.forwardedProto = secure ? "https" : "http";
        this.context = context;
        this.slot = slot;
        this.encoder = encoder;
        this.listenerPort = Integer.toString(slot.port());
        LoadBalancerAttributes attributes = slot.routing().loadBalancer().attributes();
        this.idleTimeoutNanos = attributes.idleTimeout().toNanos();
        this.headerTimeoutNanos = attributes.clientHeaderTimeout().toNanos();
        this.recorder = new ExchangeRecorder(slot, context.clock());
    }

    /** The per-request state of the exchange in progress. */
    private static final class Exchange {
        final HttpRequest request;
        String requestId;
        boolean clientKeepAlive;
        boolean http10;
        boolean head;
        boolean replayable;
        boolean hasBody;
        LiveTargetGroup group;
        LiveTarget target;
        boolean outstanding;
        String setCookie;
        String setGroupCookie;
        /** The debug revision header of the snapshot that routed this request, or null. */
        String revision;
        BackendConnection backend;
        BackendConnection connecting;
        boolean headWritten;
        boolean awaitingHeadAck;
        boolean freshRetried;
        boolean bodyStarted;
        boolean requestComplete;
        boolean interim;
        boolean responseStarted;
        boolean responseComplete;
        boolean backendKeepAlive;
        boolean closeAfter;
        boolean discarding;
        int connectAttempts;
        boolean replayed;
        /** A WebSocket handshake forwarded with its Upgrade; a 101 to it turns the connection into a tunnel. */
        boolean upgrade;
        boolean switching;
        /** When the target must have answered (System.nanoTime), or 0 when no answer is awaited. */
        long responseDeadlineNanos;
        RequestQueue.Waiter waiter;
        ScheduledFuture<?> queueTimer;

        Exchange(HttpRequest request) {
            this.request = request;
        }
    }

    // ---- client side events -------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            start(); // added after the connection opened: once TLS has chosen this protocol, say
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    private void start() {
        if (clientAddress != null) {
            return;
        }
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        clientAddress = remote.getAddress().getHostAddress();
        view.setSourceAddress(remote.getAddress());
        recorder.connectionOpened(clientAddress, remote.getPort(), ctx.channel());
        lastReadNanos = System.nanoTime();
        if (encoder != null) {
            // An HTTP/2 stream starts with its request head already in (its HEADERS frame), and its
            // connection has its own idle timeout: a timer per stream would only be scheduled and cancelled.
            // One that waits for a request body is armed when that wait begins (updateClientReading).
            armClientTimer();
        }
    }

    /** Taken out of the pipeline before any request: the connection turned out to speak HTTP/2. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (!closing) {
            closing = true;
            cancelClientTimer();
            releasePending();
        }
    }

    /** Bytes arrived from the client (called by the handler in front of the decoder). */
    void onBytes() {
        lastReadNanos = System.nanoTime();
        Exchange ex = exchange;
        if (headStartNanos < 0 && (ex == null || ex.requestComplete)) {
            headStartNanos = lastReadNanos;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        pending.add((HttpObject) msg);
        drive();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        updateClientReading();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange ex = exchange;
        if (ctx.channel().isWritable() && ex != null && ex.backend != null && !ex.responseComplete) {
            ex.backend.channel.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        boolean clientLeft = !closing;
        closing = true;
        Exchange ex = exchange;
        exchange = null;
        if (ex != null) {
            if (!ex.responseComplete) {
                context.counters().clientClosedEarly();
                if (clientLeft) {
                    recorder.clientClosed();
                }
            }
            abandon(ex);
        }
        recorder.finish();
        releasePending();
        cancelClientTimer();
        if (responseTimer != null) {
            responseTimer.cancel(false);
            responseTimer = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Client connection {} failed: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    // ---- the request loop ---------------------------------------------------------------------

    /** Moves requests and request bodies forward as far as they can go now. Re-entrant calls fold. */
    private void drive() {
        if (driving) {
            redrive = true;
            return;
        }
        driving = true;
        try {
            do {
                redrive = false;
                driveOnce();
            } while (redrive && !closing);
        } finally {
            driving = false;
        }
        updateClientReading();
    }

    private void driveOnce() {
        boolean wroteToBackend = false;
        while (!closing) {
            Exchange ex = exchange;
            if (ex == null) {
                HttpObject next = pending.poll();
                if (next == null) {
                    break;
                }
                if (next instanceof HttpRequest request) {
                    startExchange(request);
                } else {
                    ReferenceCountUtil.release(next); // the tail of a body nobody will read
                }
                continue;
            }
            if (ex.requestComplete) {
                break; // a pipelined request waits for this response
            }
            if (ex.discarding) {
                HttpObject next = pending.poll();
                if (next == null) {
                    break;
                }
                ReferenceCountUtil.release(next);
                if (next instanceof LastHttpContent) {
                    ex.requestComplete = true;
                    ex.discarding = false;
                    if (ex.responseComplete) {
                        endExchange(ex, false);
                    }
                }
                continue;
            }
            BackendConnection backend = ex.backend;
            if (backend == null || ex.awaitingHeadAck || !backend.channel.isWritable()) {
                break;
            }
            HttpObject next = pending.poll();
            if (next == null) {
                break;
            }
            HttpContent content = (HttpContent) next;
            if (content.decoderResult().isFailure()) {
                // a broken body (bad chunk): the target must never see it end cleanly, so cut its connection
                content.release();
                detachBackend(ex, false);
                fail(ex, ErrorCode.BAD_REQUEST, true);
                break;
            }
            if (content.content().isReadable()) {
                ex.bodyStarted = true;
            }
            backend.channel.write(content, backend.channel.voidPromise());
            wroteToBackend = true;
            if (content instanceof LastHttpContent) {
                requestSent(ex);
            }
        }
        Exchange ex = exchange;
        if (wroteToBackend && ex != null && ex.backend != null) {
            ex.backend.channel.flush();
        }
    }

    /**
     * Client reads stay on (no syscall per request) and are switched off only when what arrives could
     * not go anywhere: the target connection is full (back-pressure), or a pipelined request arrived
     * while the previous response is still coming.
     */
    private void updateClientReading() {
        if (closing) {
            return;
        }
        Exchange ex = exchange;
        boolean on;
        if (ex == null || ex.discarding) {
            on = true;
        } else if (ex.requestComplete || ex.backend == null || ex.awaitingHeadAck) {
            // after a WebSocket handshake nothing more is read until the target says whether it switched:
            // the bytes after a 101 are frames, which the HTTP decoder must never see
            on = pending.isEmpty() && !(ex.upgrade && ex.requestComplete);
        } else {
            on = ex.backend.channel.isWritable();
        }
        if (on && ex != null && !ex.requestComplete && clientTimer == null) {
            lastReadNanos = System.nanoTime(); // the wait for the client starts now, not at its last byte
            armClientTimer();
        }
        if (on != clientAutoRead) {
            clientAutoRead = on;
            ctx.channel().config().setAutoRead(on);
        }
    }

    private void startExchange(HttpRequest request) {
        headStartNanos = -1;
        context.counters().request();
        Exchange ex = new Exchange(request);
        exchange = ex;
        HttpHeaders headers = request.headers();
        String incomingId = headers.get(ForwardedHeaders.REQUEST_ID);
        ex.requestId = incomingId != null && incomingId.length() <= 128 ? incomingId : LocalResponses.newRequestId();
        recorder.begin(request, ex.requestId);
        ex.http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        if (request.decoderResult().isFailure()) {
            fail(ex, RequestChecks.forDecoderFailure(request.decoderResult().cause()), true);
            return;
        }
        ErrorCode invalid = RequestChecks.check(request);
        if (invalid != null) {
            fail(ex, invalid, true);
            return;
        }
        ex.clientKeepAlive = ForwardedHeaders.keepAlive(request);
        HttpMethod method = request.method();
        ex.head = method == HttpMethod.HEAD;
        ex.hasBody = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        ex.replayable = !ex.hasBody
                && (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS);
        if (!view.setRequestTarget(request.uri())) {
            fail(ex, ErrorCode.BAD_REQUEST, true);
            return;
        }
        view.setMethod(method.name());
        view.setHost(headers.get(HttpHeaderNames.HOST));
        view.setHeaders(headers);
        ListenerRouting routing = slot.routing();
        ex.revision = routing.revisionHeader();
        MatchedRule matched = routing.rules().matchRule(view);
        recorder.routed(matched);
        Action action = matched.action();
        if (action instanceof ForwardAction forward) {
            forward(ex, routing, forward);
        } else if (action instanceof FixedResponseAction fixed) {
            respondLocally(ex, LocalResponses.fixed(fixed.statusCode(), fixed.contentType(), fixed.messageBody()), false);
        } else if (action instanceof RedirectAction redirect) {
            String location = RedirectLocation.build(redirect, routing.listener().protocol(), view.host(),
                    slot.port(), view.path(), view.rawQuery());
            if (location == null) {
                fail(ex, ErrorCode.BAD_REQUEST, false);
            } else {
                respondLocally(ex, LocalResponses.redirect(redirect.statusCode(), location), false);
            }
        }
    }

    // ---- forwarding ---------------------------------------------------------------------------

    private void forward(Exchange ex, ListenerRouting routing, ForwardAction action) {
        LiveTargetGroup group = chooseGroup(ex, routing, action);
        if (group == null) {
            fail(ex, ErrorCode.SERVICE_UNAVAILABLE, false);
            return;
        }
        ex.group = group;
        recorder.forwarded(group);
        group.countRequest();
        LiveTarget target = stickyTarget(ex, group);
        if (target == null) {
            target = group.pick(null);
        }
        if (target == null) {
            fail(ex, ErrorCode.SERVICE_UNAVAILABLE, false); // no registered targets
            return;
        }
        prepareRequestHead(ex);
        dispatch(ex, target);
    }

    /**
     * Takes a request slot on {@code preferred} (or another target with room) and connects; when every
     * target is at maxConnectionsPerTarget, waits in the group's bounded queue; a full queue is a 503.
     */
    private void dispatch(Exchange ex, LiveTarget preferred) {
        LiveTargetGroup group = ex.group;
        LiveTarget target = group.acquire(preferred);
        if (target != null) {
            ex.outstanding = true;
            connect(ex, target);
            return;
        }
        TargetGroupAttributes attributes = group.spec().attributes();
        io.netty.util.concurrent.EventExecutor loop = ctx.executor();
        RequestQueue.Waiter waiter = new RequestQueue.Waiter(granted -> loop.execute(() -> onSlotGranted(ex, granted)));
        if (!group.queue().offer(waiter, attributes.maxQueue())) {
            fail(ex, ErrorCode.SERVICE_UNAVAILABLE, false);
            return;
        }
        ex.waiter = waiter;
        ex.queueTimer = loop.schedule(() -> {
            if (waiter.claim()) {
                group.queue().remove(waiter);
                ex.waiter = null;
                if (exchange == ex) {
                    fail(ex, ErrorCode.SERVICE_UNAVAILABLE, false);
                }
            }
        }, attributes.queueTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void onSlotGranted(Exchange ex, LiveTarget target) {
        ex.waiter = null;
        if (ex.queueTimer != null) {
            ex.queueTimer.cancel(false);
            ex.queueTimer = null;
        }
        if (exchange != ex || closing) {
            target.release(); // the client left while it waited
            return;
        }
        ex.outstanding = true;
        connect(ex, target);
    }

    private LiveTargetGroup chooseGroup(Exchange ex, ListenerRouting routing, ForwardAction action) {
        List<ForwardAction.TargetGroupWeight> groups = action.targetGroups();
        if (groups.size() == 1) {
            return routing.targetGroups().get(groups.get(0).targetGroupName());
        }
        ForwardAction.GroupStickiness stickiness = action.stickiness();
        long now = context.clock().millis() / 1000;
        if (stickiness.enabled()) {
            String cookie = Cookies.find(ex.request.headers(), StickyCookie.GROUP_COOKIE_NAME);
            String name = cookie == null ? null : context.stickyCookie().decode(cookie, now);
            if (name != null) {
                for (ForwardAction.TargetGroupWeight weighted : groups) {
                    if (weighted.weight() > 0 && weighted.targetGroupName().equals(name)) {
                        return routing.targetGroups().get(name);
                    }
                }
            }
        }
        int[] weights = new int[groups.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = groups.get(i).weight();
        }
        String chosen = groups.get(WeightedPicker.pick(weights, ThreadLocalRandom.current())).targetGroupName();
        if (stickiness.enabled()) {
            long seconds = stickiness.duration().toSeconds();
            ex.setGroupCookie = StickyCookie.GROUP_COOKIE_NAME + "="
                    + context.stickyCookie().encode(chosen, now + seconds) + "; Max-Age=" + seconds + "; Path=/";
        }
        return routing.targetGroups().get(chosen);
    }

    /** The target a valid stickiness cookie pins this client to, when it can still take requests. */
    private LiveTarget stickyTarget(Exchange ex, LiveTargetGroup group) {
        Stickiness stickiness = group.spec().attributes().stickiness();
        if (!stickiness.enabled()) {
            return null;
        }
        long now = context.clock().millis() / 1000;
        String cookie = Cookies.find(ex.request.headers(), StickyCookie.TARGET_COOKIE_NAME);
        String key = cookie == null ? null : context.stickyCookie().decode(cookie, now);
        if (key != null && key.startsWith(group.name()) && key.length() > group.name().length()
                && key.charAt(group.name().length()) == '|') {
            LiveTarget pinned = group.target(key.substring(group.name().length() + 1));
            if (pinned != null && !pinned.draining() && (pinned.health().routable() || group.failingOpen())) {
                return pinned;
            }
        }
        return null;
    }

    private void setStickyCookie(Exchange ex, LiveTarget target) {
        Stickiness stickiness = ex.group.spec().attributes().stickiness();
        if (stickiness.enabled()) {
            long seconds = stickiness.duration().toSeconds();
            long now = context.clock().millis() / 1000;
            ex.setCookie = StickyCookie.TARGET_COOKIE_NAME + "="
                    + context.stickyCookie().encode(ex.group.name() + "|" + target.key(), now + seconds)
                    + "; Max-Age=" + seconds + "; Path=/";
        }
    }

    private void prepareRequestHead(Exchange ex) {
        HttpRequest request = ex.request;
        HttpHeaders headers = request.headers();
        boolean http2Target = ex.group.spec().protocolVersion().http2();
        // WebSocket only from an HTTP/1.1 connection (encoder present; not an HTTP/2 stream) to an HTTP/1.1 target
        ex.upgrade = encoder != null && !ex.http10 && !ex.hasBody && request.method() == HttpMethod.GET && !http2Target
                && ForwardedHeaders.isWebSocketUpgrade(headers);
        boolean trailers = http2Target && headers.containsValue(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS, true);
        ForwardedHeaders.removeHopByHop(headers);
        if (ex.upgrade) {
            ForwardedHeaders.setWebSocketUpgrade(headers);
        }
        if (trailers) {
            headers.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS); // gRPC servers insist on it
        }
        ForwardedHeaders.addForwarded(headers, clientAddress, forwardedProto, listenerPort);
        headers.set(ForwardedHeaders.REQUEST_ID, ex.requestId);
        String path = view.path();
        String query = view.rawQuery();
        String uri = request.uri();
        boolean unchanged = uri.startsWith(path) && (uri.length() == path.length()
                ? query == null
                : query != null && uri.charAt(path.length()) == '?' && uri.length() == path.length() + 1 + query.length());
        if (!unchanged) {
            request.setUri(query == null ? path : path + '?' + query);
        }
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    private void connect(Exchange ex, LiveTarget target) {
        ex.target = target;
        recorder.target(target);
        setStickyCookie(ex, target);
        if (!ex.request.headers().contains(HttpHeaderNames.HOST)) {
            ex.request.headers().set(HttpHeaderNames.HOST, target.key()); // an HTTP/1.0 request without Host
        }
        if (ex.group.spec().protocolVersion().http2()) {
            connectStream(ex, target);
            return;
        }
        BackendConnection pooled = context.pool().acquire(target);
        if (pooled != null) {
            attach(ex, pooled, true);
            return;
        }
        connectFresh(ex, target);
    }

    private void connectFresh(Exchange ex, LiveTarget target) {
        BackendConnection fresh = new BackendConnection(target, context.pool());
        ex.connecting = fresh;
        TargetGroupAttributes attributes = ex.group.spec().attributes();
        int connectTimeout = (int) Math.min(Integer.MAX_VALUE, attributes.connectTimeout().toMillis());
        ChannelFuture future = context.backendBootstrap(ctx.channel().eventLoop(), fresh, connectTimeout,
                        ex.group.spec()).connect(target.address());
        future.addListener(f -> onConnected(ex, fresh, f));
    }

    /** A stream on this loop's HTTP/2 connection to the target (made first when there is none). */
    private void connectStream(Exchange ex, LiveTarget target) {
        BackendConnection stream = new BackendConnection(target, context.pool(), true);
        ex.connecting = stream;
        int connectTimeout = (int) Math.min(Integer.MAX_VALUE, ex.group.spec().attributes().connectTimeout().toMillis());
        context.http2Targets().openStream(target, ctx.channel().eventLoop(), stream, connectTimeout,
                        ex.group.spec())
                .addListener(f -> onConnected(ex, stream, f));
    }

    private void onConnected(Exchange ex, BackendConnection connection, io.netty.util.concurrent.Future<?> future) {
        if (exchange != ex || closing || ex.connecting != connection) {
            if (future instanceof ChannelFuture connect) {
                connect.channel().close(); // the client went away meanwhile
            } else if (future.isSuccess()) {
                ((Channel) future.getNow()).close();
            }
            return;
        }
        ex.connecting = null;
        if (future.isSuccess()) {
            attach(ex, connection, false);
            return;
        }
        LiveTarget failed = ex.target;
        finishOutstanding(ex);
        ex.group.passive().recordFailure(failed.health());
        recorder.connectFailed();
        ex.connectAttempts++;
        LOG.debug("Connect to {} failed: {}", failed, future.cause().toString());
        // counted against the registered targets: this very failure may just have ejected the target
        // from the routable list, and the request still deserves its retry on another one
        int limit = Math.min(MAX_CONNECT_ATTEMPTS, ex.group.targets().size());
        LiveTarget next = ex.connectAttempts < limit ? ex.group.pick(failed) : null;
        if (next != null && next != failed) {
            context.counters().retry();
            recorder.retried();
            dispatch(ex, next);
            return;
        }
        fail(ex, future.cause() instanceof ConnectTimeoutException ? ErrorCode.GATEWAY_TIMEOUT : ErrorCode.BAD_GATEWAY,
                false);
    }

    private void attach(Exchange ex, BackendConnection connection, boolean pooled) {
        ex.backend = connection;
        connection.assign(this);
        Channel channel = connection.channel;
        ex.headWritten = true;
        recorder.requestSent();
        HttpObject first = pending.peek();
        boolean bodyless = first instanceof LastHttpContent last && !last.content().isReadable()
                && last.trailingHeaders().isEmpty() && last.decoderResult().isSuccess();
        ChannelFuture written;
        if (bodyless) {
            pending.poll();
            channel.write(ex.request, channel.voidPromise());
            written = channel.writeAndFlush(first);
            requestSent(ex);
        } else {
            written = channel.writeAndFlush(ex.request);
        }
        if (pooled) {
            // a pooled connection the target closed meanwhile: nothing reached the target, so a fresh
            // connection may carry the request; hold the body back until the head is on its way
            ex.awaitingHeadAck = !bodyless;
            written.addListener((ChannelFutureListener) f -> onHeadWritten(ex, connection, f, bodyless));
        }
        armClientTimer();
        drive();
    }

    private void onHeadWritten(Exchange ex, BackendConnection connection, ChannelFuture future, boolean bodyless) {
        if (exchange != ex || ex.backend != connection) {
            return;
        }
        if (future.isSuccess()) {
            ex.awaitingHeadAck = false;
            drive();
            return;
        }
        if (!ex.freshRetried && !ex.responseStarted) {
            ex.freshRetried = true;
            detachBackend(ex, false);
            cancelResponseTimer(ex);
            ex.awaitingHeadAck = false;
            ex.headWritten = false;
            if (bodyless) {
                ex.requestComplete = false;
                pending.addFirst(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            connectFresh(ex, ex.target);
        }
    }

    private void requestSent(Exchange ex) {
        ex.requestComplete = true;
        if (ex.responseComplete) {
            // the target answered before it had the whole body; now that it has, the exchange is over
            ex.backend.channel.flush();
            endExchange(ex, true);
            return;
        }
        if (!ex.responseStarted) {
            long timeout = ex.group.spec().attributes().targetResponseTimeout().toNanos();
            ex.responseDeadlineNanos = System.nanoTime() + timeout;
            if (responseTimer == null) {
                responseTimer = ctx.executor().schedule(this::onResponseTimer, timeout, TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * The target response timeout, one lazily re-armed timer per client connection rather than one
     * scheduled and cancelled per request: on keep-alive traffic it fires about once per timeout.
     */
    private void onResponseTimer() {
        responseTimer = null;
        Exchange ex = exchange;
        if (closing || ex == null || ex.responseDeadlineNanos == 0) {
            return;
        }
        long left = ex.responseDeadlineNanos - System.nanoTime();
        if (left > 0) {
            responseTimer = ctx.executor().schedule(this::onResponseTimer, left, TimeUnit.NANOSECONDS);
            return;
        }
        LOG.debug("Target {} did not answer within {}", ex.target, ex.group.spec().attributes().targetResponseTimeout());
        ex.responseDeadlineNanos = 0;
        detachBackend(ex, false);
        fail(ex, ErrorCode.GATEWAY_TIMEOUT, false);
    }

    private static void cancelResponseTimer(Exchange ex) {
        ex.responseDeadlineNanos = 0;
    }

    // ---- backend side events ------------------------------------------------------------------

    void onBackendMessage(BackendConnection connection, HttpObject msg) {
        Exchange ex = exchange;
        if (ex == null || ex.backend != connection) {
            ReferenceCountUtil.release(msg);
            connection.channel.close();
            return;
        }
        if (msg instanceof HttpResponse response) {
            onResponseHead(ex, response);
            return;
        }
        HttpContent content = (HttpContent) msg;
        if (ex.interim) {
            if (content instanceof LastHttpContent && ex.switching) {
                content.release();
                startTunnel(ex);
                return;
            }
            if (content instanceof LastHttpContent) {
                ex.interim = false;
                if (!ex.http10) {
                    ctx.write(content, ctx.voidPromise());
                    return;
                }
            }
            content.release();
            return;
        }
        if (content.decoderResult().isFailure()) {
            // the target's body broke off or was malformed after the head went out: the client must see
            // the response end abnormally, never a short body presented as complete
            LOG.debug("Broken response body from {}: {}", ex.target, content.decoderResult().cause().toString());
            content.release();
            detachBackend(ex, false);
            ctx.flush();
            closeClient();
            return;
        }
        boolean last = content instanceof LastHttpContent;
        ctx.write(content, ctx.voidPromise());
        if (last) {
            ex.responseComplete = true;
            if (!ex.requestComplete) {
                // an early answer (say, a 413 or a 200 to an upload it streams): the rest of the body still
                // goes to the target, as HAProxy and nginx do, so the client is not reset mid-upload
                ctx.flush();
                return;
            }
            endExchange(ex, true);
        }
    }

    private void onResponseHead(Exchange ex, HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            LOG.debug("Invalid response from {}: {}", ex.target, response.decoderResult().cause().toString());
            ReferenceCountUtil.release(response);
            detachBackend(ex, false);
            fail(ex, ErrorCode.BAD_GATEWAY, !ex.requestComplete);
            return;
        }
        int status = response.status().code();
        if (status < 200) {
            if (status == 101 && ex.upgrade && ForwardedHeaders.isWebSocketUpgrade(response.headers())) {
                switchProtocols(ex, response);
                return;
            }
            if (status == 101) { // only WebSocket upgrades are forwarded: a target that switches otherwise is broken
                detachBackend(ex, false);
                fail(ex, ErrorCode.BAD_GATEWAY, true);
                return;
            }
            ex.interim = true;
            if (!ex.http10) {
                answersHead(false);
                ctx.write(response, ctx.voidPromise());
            }
            return;
        }
        cancelResponseTimer(ex);
        ex.responseStarted = true;
        recorder.targetResponded(status);
        HttpHeaders headers = response.headers();
        ex.backendKeepAlive = ForwardedHeaders.keepAlive(response);
        ForwardedHeaders.removeHopByHop(headers);
        headers.set(ForwardedHeaders.REQUEST_ID, ex.requestId);
        if (ex.setCookie != null) {
            headers.add(HttpHeaderNames.SET_COOKIE, ex.setCookie);
        }
        if (ex.setGroupCookie != null) {
            headers.add(HttpHeaderNames.SET_COOKIE, ex.setGroupCookie);
        }
        if (ex.revision != null) {
            headers.set(ListenerRouting.REVISION_HEADER, ex.revision);
        }
        boolean bodyless = ex.head || status == 204 || status == 304;
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        if (ex.http10) {
            response.setProtocolVersion(HttpVersion.HTTP_1_0);
            if (chunked) {
                headers.remove(HttpHeaderNames.TRANSFER_ENCODING); // 1.0 has no chunks: the body ends at close
                ex.closeAfter = !bodyless;
            } else if (!bodyless && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                ex.closeAfter = true;
            }
        } else {
            response.setProtocolVersion(HttpVersion.HTTP_1_1);
            if (!bodyless && !chunked && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                ex.closeAfter = true; // the target delimits this body by closing; so must we
            }
        }
        if (!ex.clientKeepAlive || ex.closeAfter) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (ex.http10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        answersHead(ex.head);
        ctx.write(response, ctx.voidPromise());
    }

    /** Writes a target's 101 to a WebSocket handshake; the tunnel starts at the codec's end of that response. */
    private void switchProtocols(Exchange ex, HttpResponse response) {
        cancelResponseTimer(ex);
        ex.interim = true;
        ex.switching = true;
        ex.responseStarted = true;
        HttpHeaders headers = response.headers();
        ForwardedHeaders.removeHopByHop(headers);
        ForwardedHeaders.setWebSocketUpgrade(headers);
        headers.set(ForwardedHeaders.REQUEST_ID, ex.requestId);
        if (ex.setCookie != null) {
            headers.add(HttpHeaderNames.SET_COOKIE, ex.setCookie);
        }
        if (ex.setGroupCookie != null) {
            headers.add(HttpHeaderNames.SET_COOKIE, ex.setGroupCookie);
        }
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        answersHead(false);
        ctx.write(response, ctx.voidPromise());
    }

    /**
     * Hands both connections to a {@link Tunnel}: the exchange counts as one answered request, the
     * target's request slot is given back, and the target connection never returns to the pool.
     */
    private void startTunnel(Exchange ex) {
        BackendConnection backend = ex.backend;
        ex.backend = null;
        ex.responseComplete = true;
        exchange = null;
        closing = true; // this handler is done with the connection
        cancelClientTimer();
        if (responseTimer != null) {
            responseTimer.cancel(false);
            responseTimer = null;
        }
        ex.group.passive().recordSuccess(ex.target.health());
        finishOutstanding(ex);
        backend.release();
        if (!pending.isEmpty()) {
            // the client sent more before the 101 (RFC 6455 forbids it): those bytes were decoded as HTTP
            releasePending();
            backend.channel.close();
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        Tunnel.join(this, ctx.channel(), backend, idleTimeoutNanos, context.counters());
    }

    void onBackendReadComplete(BackendConnection connection) {
        ctx.flush();
        Exchange ex = exchange;
        if (ex != null && ex.backend == connection && !ctx.channel().isWritable()) {
            connection.channel.config().setAutoRead(false); // resumed by channelWritabilityChanged
        }
    }

    void onBackendWritable(BackendConnection connection) {
        Exchange ex = exchange;
        if (ex != null && ex.backend == connection) {
            drive();
        }
    }

    void onBackendError(BackendConnection connection, Throwable cause) {
        LOG.debug("Target connection {} failed: {}", connection.target, cause.toString());
    }

    void onBackendClosed(BackendConnection connection) {
        Exchange ex = exchange;
        if (ex == null || ex.backend != connection) {
            return;
        }
        ex.backend = null;
        if (ex.responseComplete) {
            if (!ex.requestComplete) {
                // answered early, then closed: the rest of the body has nowhere to go but the floor
                finishOutstanding(ex);
                ex.discarding = true;
                drive();
            }
            return;
        }
        if (ex.responseStarted) {
            closeClient(); // the response was cut short: the client must see that too
            return;
        }
        cancelResponseTimer(ex);
        LiveTarget failed = ex.target;
        finishOutstanding(ex);
        ex.group.passive().recordFailure(failed.health());
        if (ex.replayable && !ex.replayed && !ex.bodyStarted) {
            // an idempotent request without a body, closed on before any response byte: once more elsewhere
            ex.replayed = true;
            context.counters().retry();
            recorder.retried();
            LiveTarget next = ex.group.pick(failed);
            if (next != null) {
                ex.headWritten = false;
                ex.requestComplete = false;
                pending.addFirst(LastHttpContent.EMPTY_LAST_CONTENT);
                dispatch(ex, next);
                return;
            }
        }
        fail(ex, ErrorCode.BAD_GATEWAY, !ex.requestComplete);
    }

    // ---- ending exchanges ---------------------------------------------------------------------

    /** The response is complete (forwarded, or answered here once the request was read). */
    private void endExchange(Exchange ex, boolean forwarded) {
        recorder.finish();
        if (forwarded) {
            ctx.flush(); // the backend's read-complete flush no longer reaches us once it is pooled
            BackendConnection backend = ex.backend;
            ex.backend = null;
            ex.group.passive().recordSuccess(ex.target.health());
            finishOutstanding(ex);
            if (ex.requestComplete && ex.backendKeepAlive && backend.channel.isActive() && !backend.stream) {
                context.pool().release(backend);
            } else {
                backend.release();
                backend.channel.close();
            }
        }
        if (ex.closeAfter || !ex.clientKeepAlive || !ex.requestComplete) {
            closeClient();
            return;
        }
        exchange = null;
        view.forgetRequest();
        lastReadNanos = System.nanoTime();
        armClientTimer();
        if (!driving) {
            drive();
        } else {
            redrive = true;
        }
    }

    /** Answers a request here (fixed response, redirect or error page). */
    private void respondLocally(Exchange ex, FullHttpResponse response, boolean forceClose) {
        ex.responseStarted = true;
        recorder.localResponse(response);
        while (!ex.requestComplete && pending.peek() instanceof HttpContent) {
            HttpObject next = pending.poll();
            ReferenceCountUtil.release(next);
            if (next instanceof LastHttpContent) {
                ex.requestComplete = true;
            }
        }
        boolean close = forceClose || !ex.clientKeepAlive;
        if (!close && !ex.requestComplete) {
            // no Transfer-Encoding and no Content-Length: the body is empty (RFC 9112 6.3), not unbounded
            long length = HttpUtil.isTransferEncodingChunked(ex.request) ? -1L : HttpUtil.getContentLength(ex.request, 0L);
            if (length >= 0 && length <= MAX_DISCARDED_BODY) {
                ex.discarding = true;
            } else {
                close = true;
            }
        }
        HttpHeaders headers = response.headers();
        headers.set(ForwardedHeaders.REQUEST_ID, ex.requestId);
        if (ex.revision != null) {
            headers.set(ListenerRouting.REVISION_HEADER, ex.revision);
        }
        if (ex.http10) {
            response.setProtocolVersion(HttpVersion.HTTP_1_0);
        }
        if (close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (ex.http10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        answersHead(ex.head);
        ex.responseComplete = true;
        if (close) {
            closing = true;
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(response);
        if (ex.requestComplete) {
            endExchange(ex, false);
        }
    }

    /** Answers with the balancer's own error page (or closes, when a response already started). */
    private void fail(Exchange ex, ErrorCode code, boolean close) {
        recorder.failed(code);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} for {} (target {}, response started: {})", code.status(),
                    ex.request == null ? "a partial request" : ex.request.method() + " " + ex.request.uri(),
                    ex.target, ex.responseStarted);
        }
        detachBackend(ex, false);
        finishOutstanding(ex);
        if (ex.responseStarted) {
            closeClient();
            return;
        }
        context.counters().error(code);
        respondLocally(ex, LocalResponses.error(code), close || code == ErrorCode.BAD_REQUEST);
    }

    private void finishOutstanding(Exchange ex) {
        if (ex.outstanding) {
            ex.outstanding = false;
            ex.target.release();
        }
    }

    private void detachBackend(Exchange ex, boolean reusable) {
        BackendConnection backend = ex.backend;
        if (backend != null) {
            ex.backend = null;
            backend.release();
            if (!reusable) {
                backend.channel.close();
            }
        }
    }

    /** Gives up an exchange whose client has gone. */
    private void abandon(Exchange ex) {
        cancelResponseTimer(ex);
        RequestQueue.Waiter waiter = ex.waiter;
        if (waiter != null && waiter.claim()) {
            ex.group.queue().remove(waiter);
            ex.queueTimer.cancel(false);
        }
        detachBackend(ex, false);
        if (ex.connecting != null) {
            ex.connecting = null;
        }
        finishOutstanding(ex);
    }

    /** Tells the HTTP/1 encoder whether the next response head answers a HEAD (none on an HTTP/2 stream). */
    private void answersHead(boolean head) {
        if (encoder != null) {
            encoder.nextResponseAnswersHead(head);
        }
    }

    private void closeClient() {
        if (!closing) {
            closing = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void releasePending() {
        HttpObject next;
        while ((next = pending.poll()) != null) {
            ReferenceCountUtil.release(next);
        }
    }

    // ---- client timeouts ----------------------------------------------------------------------

    /**
     * One timer per connection, re-armed lazily: idle keep-alive connections close silently after the
     * idle timeout, a request head must be complete within the header timeout (408), and a request
     * body that stalls for the idle timeout is answered 408. While a target works on the response, the
     * target response timeout applies instead.
     */
    private void armClientTimer() {
        if (clientTimer != null || closing) {
            return;
        }
        long deadline = clientDeadline();
        if (deadline == Long.MAX_VALUE) {
            return;
        }
        // A request head may start while the timer waits for a later (idle) deadline, and the timer is not
        // moved per request; waking at least every header timeout keeps a slow head from outliving it.
        long delay = Math.min(headerTimeoutNanos, Math.max(0, deadline - System.nanoTime()));
        clientTimer = ctx.executor().schedule(this::onClientTimer, delay, TimeUnit.NANOSECONDS);
    }

    /** True when the next step of this exchange is the client's: more request body. */
    private boolean waitingForClientBody(Exchange ex) {
        if (ex.discarding) {
            return true;
        }
        BackendConnection backend = ex.backend;
        return backend != null && !ex.awaitingHeadAck && backend.channel.isWritable();
    }

    private long clientDeadline() {
        Exchange ex = exchange;
        if (ex == null) {
            return headStartNanos >= 0 ? headStartNanos + headerTimeoutNanos : lastReadNanos + idleTimeoutNanos;
        }
        if (!ex.requestComplete && (!ex.responseStarted || ex.responseComplete) && waitingForClientBody(ex)) {
            return lastReadNanos + idleTimeoutNanos;
        }
        return Long.MAX_VALUE; // a target, a connect or the queue is what we wait for: their own timeouts apply
    }

    private void onClientTimer() {
        clientTimer = null;
        if (closing) {
            return;
        }
        long deadline = clientDeadline();
        if (deadline == Long.MAX_VALUE) {
            return;
        }
        if (System.nanoTime() < deadline) {
            armClientTimer();
            return;
        }
        Exchange ex = exchange;
        if (ex == null && headStartNanos < 0) {
            closing = true;
            ctx.close(); // idle keep-alive connection: closed silently
            return;
        }
        if (ex == null) {
            ex = new Exchange(null);
            ex.requestId = LocalResponses.newRequestId();
            exchange = ex;
            recorder.begin(null, ex.requestId);
        }
        context.counters().error(ErrorCode.REQUEST_TIMEOUT);
        detachBackend(ex, false);
        finishOutstanding(ex);
        if (ex.responseStarted) {
            closeClient();
            return;
        }
        ex.responseStarted = true;
        FullHttpResponse response = LocalResponses.error(ErrorCode.REQUEST_TIMEOUT);
        recorder.failed(ErrorCode.REQUEST_TIMEOUT);
        recorder.localResponse(response);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        response.headers().set(ForwardedHeaders.REQUEST_ID, ex.requestId);
        answersHead(false);
        closing = true;
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private void cancelClientTimer() {
        if (clientTimer != null) {
            clientTimer.cancel(false);
            clientTimer = null;
        }
    }
}
