package io.fulcrum.accesslog;

/**
 * One request as the access log records it, raw: the writer thread formats it, so the event loop only
 * fills this record. Times are in nanoseconds, -1 where they do not apply; status codes and the rule
 * priority are -1 where they do not apply; a null string is written as {@code -}.
 *
 * @param type as ALB's: {@code http}, {@code https} (HTTP/1.1 over TLS), {@code h2} (HTTP/2 over TLS),
 *     {@code grpcs} (gRPC over TLS), {@code ws} and {@code wss} (WebSocket upgrades)
 * @param timeMillis when the response was complete (epoch milliseconds)
 * @param elb the load balancer's name
 * @param target the target that answered, "host:port"
 * @param requestProcessingNanos from the request head read to the request head sent to a target
 * @param targetProcessingNanos from the request head sent to the target's response head
 * @param responseProcessingNanos from the target's response head to the response complete
 * @param elbStatusCode the status sent to the client (460 when the client left first)
 * @param targetStatusCode the status the target sent
 * @param host the request's Host header as sent (a port in it is dropped in the log)
 * @param port the listener's port
 * @param matchedRulePriority the matched rule's priority, 0 for the default action
 * @param requestCreationMillis when the request head was read (epoch milliseconds)
 * @param targetList every target tried, space separated
 * @param targetStatusList the status each tried target sent, {@code -} for none
 * @param connTraceId the client connection's id
 * @param sslCipher the cipher the client connection negotiated, OpenSSL's name as AWS writes it
 *     (ECDHE-RSA-AES128-GCM-SHA256, TLS_AES_128_GCM_SHA256); null without TLS
 * @param sslProtocol the TLS version (TLSv1.2, TLSv1.3); null without TLS
 * @param domainName the SNI name the client sent; null without TLS or SNI
 */
public record AccessLogEntry(String type, long timeMillis, String elb, String clientIp, int clientPort, String target,
                             long requestProcessingNanos, long targetProcessingNanos, long responseProcessingNanos,
                             int elbStatusCode, int targetStatusCode, long receivedBytes, long sentBytes,
                             String method, String scheme, String host, int port, String uri, String httpVersion,
                             String userAgent, String targetGroup, String traceId, int matchedRulePriority,
                             long requestCreationMillis, String actionsExecuted, String redirectUrl,
                             String errorReason, String targetList, String targetStatusList, String connTraceId,
                             String sslCipher, String sslProtocol, String domainName) {
    /** An entry of a connection without TLS. */
    public AccessLogEntry(String type, long timeMillis, String elb, String clientIp, int clientPort, String target,
                          long requestProcessingNanos, long targetProcessingNanos, long responseProcessingNanos,
                          int elbStatusCode, int targetStatusCode, long receivedBytes, long sentBytes,
                          String method, String scheme, String host, int port, String uri, String httpVersion,
                          String userAgent, String targetGroup, String traceId, int matchedRulePriority,
                          long requestCreationMillis, String actionsExecuted, String redirectUrl,
                          String errorReason, String targetList, String targetStatusList, String connTraceId) {
        this(type, timeMillis, elb, clientIp, clientPort, target, requestProcessingNanos, targetProcessingNanos,
                responseProcessingNanos, elbStatusCode, targetStatusCode, receivedBytes, sentBytes, method, scheme, host,
                port, uri, httpVersion, userAgent, targetGroup, traceId, matchedRulePriority, requestCreationMillis,
                actionsExecuted, redirectUrl, errorReason, targetList, targetStatusList, connTraceId, null, null, null);
    }
}
