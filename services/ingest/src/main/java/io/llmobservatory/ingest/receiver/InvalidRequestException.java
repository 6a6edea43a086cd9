package io.llmobservatory.ingest.receiver;

/** The request as a whole cannot be accepted (undecodable payload, bad tenant): INVALID_ARGUMENT / 400. */
public final class InvalidRequestException extends RuntimeException {
    public InvalidRequestException(String message) {
        super(message);
    }
}
