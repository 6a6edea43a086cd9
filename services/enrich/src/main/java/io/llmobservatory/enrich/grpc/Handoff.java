package io.llmobservatory.enrich.grpc;

/**
 * Hands a decoded request to the pipeline exactly once and then lets go of it. The decoded OTLP objects are the
 * largest part of a batch in flight (several times its encoded size) and the pipeline is done with them once it has
 * mapped them to the model, but the lambdas that carry a batch through the bulkhead stay referenced until its rows
 * are committed: capturing the request in them kept every batch's OTLP objects alive while PostgreSQL wrote it (live
 * OTLP objects at max load halved without it, docs/benchmarks.md, "Pipeline, third round").
 */
final class Handoff<T> {
    private T value;

    Handoff(T value) {
        this.value = value;
    }

    T take() {
        T out = value;
        if (out == null) {
            throw new IllegalStateException("the batch was already handed to the pipeline");
        }
        value = null;
        return out;
    }
}
