package io.llmobservatory.enrich.export;

import java.util.concurrent.CompletableFuture;

/** Sends one batch to an external store (Tempo, Loki). Completes exceptionally with {@link SendException} on failure. */
public interface Sender<T> {

    /** The exporter name in metrics ({@code otlp/tempo}, {@code loki}). */
    String name();

    /** Items in the batch (spans, log records), for the Collector-style counters. */
    int size(T batch);

    CompletableFuture<Void> send(String tenant, T batch);
}
