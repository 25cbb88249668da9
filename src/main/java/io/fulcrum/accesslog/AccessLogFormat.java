package io.fulcrum.accesslog;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Formats an entry as one line of ALB's access log, fields in ALB's order separated by one space,
 * {@code -} where a field does not apply. ssl_cipher, ssl_protocol and domain_name (the SNI name) are
 * filled on TLS connections; the fields certificates ARNs and WAF fill in ALB are always {@code -} here
 * (chosen_cert_arn, classification, classification_reason). target_group_arn holds the target group's name.
 */
public final class AccessLogFormat {
    /** The field names in order, as ALB's documentation names them. */
    public static final String[] FIELDS = {"type", "time", "elb", "client:port", "target:port",
            "request_processing_time", "target_processing_time", "response_processing_time", "elb_status_code",
            "target_status_code", "received_bytes", "sent_bytes", "request", "user_agent", "ssl_cipher",
            "ssl_protocol", "target_group_arn", "trace_id", "domain_name", "chosen_cert_arn", "matched_rule_priority",
            "request_creation_time", "actions_executed", "redirect_url", "error_reason", "target:port_list",
            "target_status_code_list", "classification", "classification_reason", "conn_trace_id"};

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private AccessLogFormat() {
    }

    /** The line, without its newline. */
    public static String format(AccessLogEntry e) {
        StringBuilder line = new StringBuilder(320);
        line.append(plain(e.type())).append(' ');
        line.append(TIME.format(Instant.ofEpochMilli(e.timeMillis()))).append(' ');
        line.append(plain(e.elb())).append(' ');
        line.append(e.clientIp() == null ? "-" : e.clientIp() + ":" + e.clientPort()).append(' ');
        line.append(plain(e.target())).append(' ');
        seconds(line, e.requestProcessingNanos()).append(' ');
        seconds(line, e.targetProcessingNanos()).append(' ');
        seconds(line, e.responseProcessingNanos()).append(' ');
        code(line, e.elbStatusCode()).append(' ');
        code(line, e.targetStatusCode()).append(' ');
        line.append(e.receivedBytes()).append(' ');
        line.append(e.sentBytes()).append(' ');
        quoted(line, request(e)).append(' ');
        quoted(line, e.userAgent()).append(' ');
        line.append(plain(e.sslCipher())).append(' ');
        line.append(plain(e.sslProtocol())).append(' ');
        line.append(plain(e.targetGroup())).append(' ');
        quoted(line, e.traceId()).append(' ');
        quoted(line, e.domainName()).append(' ');
        line.append("\"-\" "); // chosen_cert_arn
        line.append(e.matchedRulePriority() < 0 ? "-" : Integer.toString(e.matchedRulePriority())).append(' ');
        line.append(e.requestCreationMillis() < 0 ? "-" : TIME.format(Instant.ofEpochMilli(e.requestCreationMillis())))
                .append(' ');
        quoted(line, e.actionsExecuted()).append(' ');
        quoted(line, e.redirectUrl()).append(' ');
        quoted(line, e.errorReason()).append(' ');
        quoted(line, e.targetList()).append(' ');
        quoted(line, e.targetStatusList()).append(' ');
        line.append("\"-\" \"-\" "); // classification, classification_reason (desync mitigation)
        line.append(plain(e.connTraceId()));
        return line.toString();
    }

    /** "METHOD scheme://host:port/uri VERSION", ALB's request field; "- - -" when no request head was read. */
    private static String request(AccessLogEntry e) {
        if (e.method() == null) {
            return "- - -";
        }
        String host = e.host();
        if (host == null || host.isEmpty()) {
            host = "-";
        } else if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = end > 0 ? host.substring(0, end + 1) : host;
        } else if (host.indexOf(':') >= 0) {
            host = host.substring(0, host.indexOf(':'));
        }
        String uri = e.uri() == null ? "/" : e.uri();
        if (uri.startsWith("http://") || uri.startsWith("https://")) {
            return e.method() + " " + uri + " " + e.httpVersion(); // an absolute-form request target
        }
        return e.method() + " " + e.scheme() + "://" + host + ":" + e.port() + uri + " " + e.httpVersion();
    }

    private static String plain(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }

    private static StringBuilder code(StringBuilder line, int code) {
        return code < 0 ? line.append('-') : line.append(code);
    }

    /** Seconds with millisecond precision, as ALB writes them; -1 when it does not apply. */
    private static StringBuilder seconds(StringBuilder line, long nanos) {
        if (nanos < 0) {
            return line.append("-1");
        }
        long millis = nanos / 1_000_000;
        line.append(millis / 1000).append('.');
        long fraction = millis % 1000;
        if (fraction < 100) {
            line.append('0');
        }
        if (fraction < 10) {
            line.append('0');
        }
        return line.append(fraction);
    }

    /** A double-quoted field: quotes and backslashes escaped, control characters as \xHH. */
    private static StringBuilder quoted(StringBuilder line, String value) {
        line.append('"');
        if (value == null || value.isEmpty()) {
            line.append('-');
        } else {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"' || c == '\\') {
                    line.append('\\').append(c);
                } else if (c < 0x20 || c == 0x7f) {
                    line.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
                } else {
                    line.append(c);
                }
            }
        }
        return line.append('"');
    }
}
