package io.llmobservatory.ingest.receiver;

/**
 * A request split by validation: the items (spans, data points, log records) to keep, how many were rejected and
 * why the first one was.
 */
public record ValidatedBatch<Q>(Q accepted, int acceptedItems, int rejectedItems, String firstProblem) {
}
