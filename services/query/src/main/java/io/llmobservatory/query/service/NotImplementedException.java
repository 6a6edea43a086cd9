package io.llmobservatory.query.service;

/** The request needs a capability this deployment does not have (e.g. TraceQL without Tempo): 501. */
public final class NotImplementedException extends RuntimeException {
    public NotImplementedException(String message) {
        super(message);
    }
}
