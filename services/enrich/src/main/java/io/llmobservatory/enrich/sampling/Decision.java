package io.llmobservatory.enrich.sampling;

/** A sampling policy's verdict on a trace. */
public enum Decision {
    SAMPLE,
    NOT_SAMPLE
}
