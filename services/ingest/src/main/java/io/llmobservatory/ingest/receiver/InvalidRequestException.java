package io.llmobservatory.ingest.receiver;

/**
 * The request as a whole cannot be accepted (undecodable payload, bad tenant): INVALID_ARGUMENT / 400. The reason is
 * a short label for the rejection counter ({@link Rejections}).
 */
public final class InvalidRequestException extends RuntimeException {
    private final String reason;

    public InvalidRequestException(String message) {
        this("invalid", message);
    }

    public InvalidRequestException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
