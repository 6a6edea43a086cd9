package io.llmobservatory.enrich.recompute;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A re-pricing job and its audit record: what was asked, how far it got, what it changed. */
public record RecomputeJob(
        UUID id,
        Instant requestedAt,
        String requestedBy,
        Instant from,
        Instant to,
        String tenant,
        String model,
        String status,
        long callsSeen,
        long callsChanged,
        BigDecimal costBefore,
        BigDecimal costAfter,
        String priceVersions,
        Instant finishedAt,
        String error) {

    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
}
