package io.fulcrum.proxy;

import io.fulcrum.accesslog.AccessLogEntry;
import io.fulcrum.accesslog.AccessLogWriter;
import io.fulcrum.model.Action;
import io.fulcrum.model.FixedResponseAction;
import io.fulcrum.model.ForwardAction;
import io.fulcrum.model.RedirectAction;
import io.fulcrum.routing.MatchedRule;
import io.fulcrum.tls.TlsInfo;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.time.Clock;

/**
 * Records the exchanges of one client connection into the listener's, target group's and target's
 * counters, and into the access log when it is on. One per connection, reused by each exchange in
 * turn, so recording allocates nothing unless the access log is on. Event loop only; every call is
 * safe in any state, and {@link #finish()} counts an exchange once however often it is called.
 */
final class ExchangeRecorder {
    /** Targets remembered for the access log's target lists (a request tries at most a few). */
    private static final int MAX_ATTEMPTS = 4;

    private final ListenerSlot slot;
    private final Clock clock;

    // the connection
    private String clientIp;
    private int clientPort;
    private Channel channel;
    private long bytesIn;
    private long bytesOut;
    private long inMark;
    private long outMark;

    // the exchange in progress
    private boolean active;
    private AccessLogWriter log;
    private String method;
    private String uri;
    private String version;
    private String host;
    private String userAgent;
    /** A WebSocket upgrade (ws/wss) or a gRPC request (grpcs), for the access log's type. */
    private boolean webSocket;
    private boolean grpc;
    private String requestId;
    private long startNanos;
    private long sentNanos;
    private long headNanos;
    private long creationMillis;
    private int priority;
    private Action action;
    private LiveTargetGroup group;
    private final LiveTarget[] attempts = new LiveTarget[MAX_ATTEMPTS];
    private final int[] attemptStatus = new int[MAX_ATTEMPTS];
    private int attemptCount;
    private LiveTarget current;
    private int targetStatus;
    private int elbStatus;
    private boolean local;
    private boolean connectFailed;
    private String redirectUrl;
    private String errorReason;

    ExchangeRecorder(ListenerSlot slot, Clock clock) {
        this.slot = slot;
        this.clock = clock;
    }

    void connectionOpened(String ip, int port, Channel client) {
        this.clientIp = ip;
        this.clientPort = port;
        this.channel = client;
        slot.stats().connectionOpened();
    }

    void received(int bytes) {
        bytesIn += bytes;
        slot.stats().received(bytes);
    }

    void sent(int bytes) {
        bytesOut += bytes;
        slot.stats().sent(bytes);
    }

    /** A request head was read ({@code request} null: a head that never completed). */
    void begin(HttpRequest request, String id) {
        finish();
        active = true;
        startNanos = System.nanoTime();
        sentNanos = 0;
        headNanos = 0;
        priority = -1;
        action = null;
        group = null;
        attemptCount = 0;
        current = null;
        targetStatus = -1;
        elbStatus = -1;
        local = false;
        connectFailed = false;
        redirectUrl = null;
        errorReason = null;
        requestId = id;
        slot.stats().request();
        log = slot.accessLog();
        if (log != null) {
            // taken now: forwarding rewrites the head
            creationMillis = clock.millis();
            method = request == null ? null : request.method().name();
            uri = request == null ? null : request.uri();
            version = request == null ? null : request.protocolVersion().text();
            host = request == null ? null : request.headers().get(HttpHeaderNames.HOST);
            userAgent = request == null ? null : request.headers().get(HttpHeaderNames.USER_AGENT);
            webSocket = request != null && ForwardedHeaders.isWebSocketUpgrade(request.headers());
            String contentType = request == null ? null : request.headers().get(HttpHeaderNames.CONTENT_TYPE);
            grpc = contentType != null && contentType.startsWith("application/grpc");
        }
    }

    void routed(MatchedRule rule) {
        priority = rule.priority();
        action = rule.action();
    }

    void forwarded(LiveTargetGroup to) {
        group = to;
    }

    /** A target was chosen for this request (again, on a retry). */
    void target(LiveTarget target) {
        current = target;
        target.stats().request();
        if (attemptCount < MAX_ATTEMPTS) {
            attempts[attemptCount] = target;
            attemptStatus[attemptCount] = -1;
            attemptCount++;
        }
    }

    /** The request head went to the target. */
    void requestSent() {
        sentNanos = System.nanoTime();
        connectFailed = false;
    }

    void connectFailed() {
        connectFailed = true;
        if (current != null) {
            current.stats().connectionError();
        }
        if (group != null) {
            group.stats().connectionError();
        }
    }

    void retried() {
        if (group != null) {
            group.stats().retry();
        }
    }

    /** The target's final response head arrived. */
    void targetResponded(int status) {
        headNanos = System.nanoTime();
        targetStatus = status;
        elbStatus = status;
        if (attemptCount > 0 && attempts[attemptCount - 1] == current) {
            attemptStatus[attemptCount - 1] = status;
        }
        if (current != null) {
            current.stats().response(status);
        }
        if (group != null) {
            group.stats().response(status, headNanos - sentNanos);
        }
        slot.stats().targetResponse(status);
    }

    /** The balancer answers this request itself with an error page. */
    void failed(ErrorCode code) {
        errorReason = switch (code) {
            case SERVICE_UNAVAILABLE -> attemptCount == 0 ? "NoTargetAvailable" : "TargetCapacityExceeded";
            case BAD_GATEWAY -> connectFailed ? "TargetConnectionError" : "TargetResponseError";
            case GATEWAY_TIMEOUT -> connectFailed ? "TargetConnectTimeout" : "TargetResponseTimeout";
            case REQUEST_TIMEOUT -> "ClientTimeout";
            default -> "InvalidRequest";
        };
    }

    /** The balancer wrote this response itself (error page, fixed response or redirect). */
    void localResponse(HttpResponse response) {
        int status = response.status().code();
        local = true;
        elbStatus = status;
        slot.stats().elbResponse(status);
        if (errorReason == null) {
            if (action instanceof FixedResponseAction) {
                slot.stats().fixedResponse();
            } else if (action instanceof RedirectAction) {
                slot.stats().redirect();
                redirectUrl = log == null ? null : response.headers().get(HttpHeaderNames.LOCATION);
            }
        }
    }

    /** The client went away before its response was complete. */
    void clientClosed() {
        if (!active) {
            return;
        }
        slot.stats().clientClosed();
        if (elbStatus < 0) {
            elbStatus = 460; // ALB's code for a client that closed first
        }
    }

    /** The exchange is over: counted once, logged when the log is on. */
    void finish() {
        if (!active) {
            return;
        }
        active = false;
        AccessLogWriter to = log;
        if (to != null) {
            to.offer(entry());
        }
        inMark = bytesIn;
        outMark = bytesOut;
        log = null;
        group = null;
        current = null;
        action = null;
        java.util.Arrays.fill(attempts, null);
        // an idle keep-alive connection keeps its recorder: not the last request's strings
        method = null;
        uri = null;
        version = null;
        host = null;
        userAgent = null;
        requestId = null;
        redirectUrl = null;
        errorReason = null;
    }

    private AccessLogEntry entry() {
        long now = System.nanoTime();
        long requestTime = -1;
        long targetTime = -1;
        long responseTime = -1;
        if (sentNanos != 0) {
            requestTime = sentNanos - startNanos;
            if (headNanos != 0) {
                targetTime = headNanos - sentNanos;
                responseTime = now - headNanos;
            }
        } else if (local && errorReason == null) {
            requestTime = now - startNanos; // answered here by a fixed-response or redirect action
        }
        String target = null;
        String targets = null;
        String statuses = null;
        if (attemptCount > 0) {
            target = attempts[attemptCount - 1].key();
            StringBuilder list = new StringBuilder();
            StringBuilder codes = new StringBuilder();
            for (int i = 0; i < attemptCount; i++) {
                if (i > 0) {
                    list.append(' ');
                    codes.append(' ');
                }
                list.append(attempts[i].key());
                codes.append(attemptStatus[i] < 0 ? "-" : Integer.toString(attemptStatus[i]));
            }
            targets = list.toString();
            statuses = codes.toString();
        }
        // an HTTP/2 stream's TLS is its connection's, the parent channel
        boolean stream = channel instanceof Http2StreamChannel;
        TlsInfo tls = channel == null ? null : TlsInfo.of(stream ? channel.parent() : channel);
        return new AccessLogEntry(type(tls != null, stream), clock.millis(), slot.routing().loadBalancer().name(),
                clientIp, clientPort, target, requestTime, targetTime, responseTime, elbStatus, targetStatus,
                bytesIn - inMark, bytesOut - outMark, method, tls == null ? "http" : "https", host, slot.port(), uri,
                stream && version != null ? "HTTP/2.0" : version, userAgent, group == null ? null : group.name(), requestId, priority, creationMillis, actions(),
                redirectUrl, errorReason, targets, statuses, channel == null ? null : channel.id().asShortText(),
                tls == null ? null : tls.awsCipherName(), tls == null ? null : tls.protocol(),
                tls == null ? null : tls.serverName());
    }

    /**
     * ALB's type field: h2 (grpcs for gRPC) for HTTP/2 over TLS, https for HTTP/1.1 over TLS, ws/wss for
     * WebSocket upgrades, http otherwise (h2c with prior knowledge too: ALB has no type for it).
     */
    private String type(boolean secure, boolean stream) {
        if (webSocket && !stream) {
            return secure ? "wss" : "ws";
        }
        if (!secure) {
            return "http";
        }
        if (stream) {
            return grpc ? "grpcs" : "h2";
        }
        return "https";
    }

    /** ALB's actions_executed: what the balancer did with the request. */
    private String actions() {
        if (action == null) {
            return null;
        }
        if (action instanceof ForwardAction) {
            return "forward";
        }
        if (action instanceof FixedResponseAction) {
            return "fixed-response";
        }
        return action instanceof RedirectAction ? "redirect" : null;
    }
}
