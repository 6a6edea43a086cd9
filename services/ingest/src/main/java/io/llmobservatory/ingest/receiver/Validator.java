package io.llmobservatory.ingest.receiver;

/** Checks a request against the OTLP data model and removes (and counts) what is invalid. */
public interface Validator<Q> {

    /** The request without its invalid items; the same object when nothing was invalid. */
    ValidatedBatch<Q> validate(Q request);
}
