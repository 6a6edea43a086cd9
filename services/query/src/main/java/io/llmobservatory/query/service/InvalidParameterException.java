package io.llmobservatory.query.service;

/** A request parameter is malformed or out of range (400). */
public final class InvalidParameterException extends RuntimeException {
    public InvalidParameterException(String message) {
        super(message);
    }
}
