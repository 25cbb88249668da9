package io.fulcrum.health;

import static java.util.Objects.requireNonNull;

/**
 * The result of one probe.
 *
 * @param outcome how it ended
 * @param statusCode the HTTP status, or 0 when there was none (TCP, or no response)
 * @param description ALB-like text for the target's status, e.g. "Request timed out"; null on success
 */
public record ProbeResult(ProbeOutcome outcome, int statusCode, String description) {
    static final ProbeResult TCP_SUCCESS = new ProbeResult(ProbeOutcome.SUCCESS, 0, null);
    static final ProbeResult TIMED_OUT = new ProbeResult(ProbeOutcome.TIMEOUT, 0, "Request timed out");
    static final ProbeResult REFUSED = new ProbeResult(ProbeOutcome.CONNECT_REFUSED, 0, "Connection refused");
    static final ProbeResult RESET = new ProbeResult(ProbeOutcome.CONNECTION_RESET, 0, "Connection reset by peer");
    static final ProbeResult CLOSED_EARLY = new ProbeResult(ProbeOutcome.CLOSED_EARLY, 0,
            "Connection closed before a response");

    public ProbeResult {
        requireNonNull(outcome, "outcome");
    }

    /** Results of HTTP answers by status, made once each: a check allocates none. Racy but idempotent. */
    private static final ProbeResult[] ACCEPTED = new ProbeResult[600];
    private static final ProbeResult[] REJECTED = new ProbeResult[600];

    /** An HTTP answer: success when the matcher accepted {@code statusCode}. */
    static ProbeResult http(int statusCode, boolean accepted) {
        ProbeResult[] cache = accepted ? ACCEPTED : REJECTED;
        if (statusCode < 0 || statusCode >= cache.length) {
            return newHttp(statusCode, accepted);
        }
        ProbeResult result = cache[statusCode];
        if (result == null) {
            result = newHttp(statusCode, accepted);
            cache[statusCode] = result;
        }
        return result;
    }

    private static ProbeResult newHttp(int statusCode, boolean accepted) {
        return accepted
                ? new ProbeResult(ProbeOutcome.SUCCESS, statusCode, null)
                : new ProbeResult(ProbeOutcome.BAD_STATUS, statusCode,
                        "Health checks failed with these codes: [" + statusCode + "]");
    }

    static ProbeResult error(ProbeOutcome outcome, String description) {
        return new ProbeResult(outcome, 0, description);
    }

    public boolean success() {
        return outcome == ProbeOutcome.SUCCESS;
    }
}
