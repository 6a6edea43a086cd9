package io.llmobservatory.query.model;

import java.math.BigDecimal;

/** Answers of the analytics endpoints. Latencies in milliseconds, costs in USD. */
public final class Analytics {
    private Analytics() {
    }

    /** One bucket of the latency trend; {@code model} is null unless grouped by model. */
    public record LatencyPoint(String bucket, String model, long requests, double p50Ms, double p95Ms, double p99Ms) {
    }

    /** One costly call; {@code model} is the model asked for, {@code responseModel} the one that answered (priced it). */
    public record ExpensiveRequest(String traceId, String spanId, String time, String model, String responseModel,
                                   String provider, String service, String user, Long inputTokens, Long outputTokens,
                                   BigDecimal costUsd, double durationMs, boolean error) {
    }

    public record ModelStats(String model, String provider, long requests, double avgLatencyMs, double p95LatencyMs,
                             double errorRate, BigDecimal costUsd, BigDecimal costPer1kRequestsUsd,
                             Double avgTokensPerSecond) {
    }

    public record UserActivity(String user, long requests, long tokens, BigDecimal costUsd) {
    }

    /** Spend in the rolling windows ending now. */
    public record SpendWindows(BigDecimal lastHourUsd, BigDecimal last24hUsd, BigDecimal last7dUsd, BigDecimal last30dUsd,
                               long requestsLast30d) {
    }

    public record Spend(String tenant, SpendWindows tenantSpend, String user, SpendWindows userSpend) {
    }

    /** One bucket of the error trend; {@code group} is the model, provider or error type when grouped. */
    public record ErrorPoint(String bucket, String group, long requests, long errors, double errorRate) {
    }
}
