package io.fulcrum.model;

/** Answer with a fixed status, content type and body (body at most 1024 bytes, as ALB). */
public record FixedResponseAction(int statusCode, String contentType, String messageBody) implements Action {
    public static final String DEFAULT_CONTENT_TYPE = "text/plain";
    public static final int MAX_BODY_BYTES = 1024;

    public FixedResponseAction {
        contentType = contentType == null ? DEFAULT_CONTENT_TYPE : contentType;
        messageBody = messageBody == null ? "" : messageBody;
    }

    @Override
    public String type() {
        return "fixed-response";
    }
}
