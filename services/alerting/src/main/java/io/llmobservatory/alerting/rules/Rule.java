package io.llmobservatory.alerting.rules;

import java.time.Duration;
import java.util.Map;

/** A validated rule: what the evaluator runs. */
public sealed interface Rule permits Rule.HealthRule, Rule.LlmRule {
    String name();

    Duration forDuration();

    Map<String, String> labels();

    Map<String, String> annotations();

    record HealthRule(String name, String exprText, HealthExpr expr, Duration forDuration, Map<String, String> labels,
                      Map<String, String> annotations) implements Rule {
    }

    record LlmRule(String name, LlmKind kind, String tenant, String user, String model, Duration window,
                   Duration shortWindow, double threshold, long minRequests, Duration forDuration,
                   Map<String, String> labels, Map<String, String> annotations) implements Rule {
    }

    enum LlmKind {
        SPEND_BUDGET("spend_budget"), SPEND_BURN_RATE("spend_burn_rate"), ERROR_RATE("error_rate"),
        P95_LATENCY_MS("p95_latency_ms"), UNPRICED_CALLS("unpriced_calls");

        public final String id;

        LlmKind(String id) {
            this.id = id;
        }

        /** Judged per model (one alert per model) rather than once for the tenant/user/model scope. */
        public boolean perModel() {
            return this == ERROR_RATE || this == P95_LATENCY_MS || this == UNPRICED_CALLS;
        }
    }
}
