package io.llmobservatory.alerting.rules;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** Rules as data: the rule file (YAML or JSON) and the body of {@code PUT /api/v1/rules}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public record RuleFile(List<Health> health, List<Llm> llm) {

    /** A collector-health rule: {@code expr} in the small rule form (see {@link HealthExprParser}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Health(String name, String expr, @JsonProperty("for") String forDuration, Map<String, String> labels,
                         Map<String, String> annotations) {
    }

    /**
     * An LLM rule over the stored LLM-call facts of one tenant. {@code kind}: spend_budget (spend over
     * {@code window} above {@code threshold} USD), spend_burn_rate (spend over {@code shortWindow} extrapolated to
     * {@code window} above {@code threshold} USD: the early warning), error_rate, p95_latency_ms and unpriced_calls
     * (per model, above {@code threshold}; models with fewer than {@code minRequests} calls are not judged).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Llm(String name, String kind, String tenant, String user, String model, String window,
                      String shortWindow, Double threshold, Long minRequests, @JsonProperty("for") String forDuration,
                      Map<String, String> labels, Map<String, String> annotations) {
    }
}
