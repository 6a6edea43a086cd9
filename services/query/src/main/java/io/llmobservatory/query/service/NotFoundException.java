package io.llmobservatory.query.service;

/** The requested object does not exist for this tenant (404). */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
