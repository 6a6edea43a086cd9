package io.llmobservatory.alerting.llm;

import io.llmobservatory.alerting.rules.Rule;
import io.llmobservatory.shared.query.v1.ModelRow;
import io.llmobservatory.shared.query.v1.ModelWindowRequest;
import io.llmobservatory.shared.query.v1.MutinyLlmStatsGrpc;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The values an LLM rule compares with its threshold, read from the query service over gRPC (never from the
 * database: the query service owns read-side SQL and tenant scoping). Spend rules give one value for their scope
 * (labels tenant, and user/model when the rule names them); per-model rules one per model (labels tenant, model,
 * provider). Returned: the label sets above the threshold.
 */
@ApplicationScoped
public class LlmRuleValues {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final MutinyLlmStatsGrpc.MutinyLlmStatsStub stats;

    public LlmRuleValues(@GrpcClient("query") MutinyLlmStatsGrpc.MutinyLlmStatsStub stats) {
        this.stats = stats;
    }

    public Map<Map<String, String>, Double> active(Rule.LlmRule rule) {
        return active(rule, window -> stats.modelWindow(ModelWindowRequest.newBuilder().setTenant(rule.tenant())
                .setWindowSeconds(window.toSeconds()).setUser(rule.user() == null ? "" : rule.user())
                .setModel(rule.model() == null ? "" : rule.model()).build()).await().atMost(TIMEOUT).getModelsList());
    }

    /** The rule's judgement over rows fetched per window by {@code fetch} (separate for tests). */
    static Map<Map<String, String>, Double> active(Rule.LlmRule rule, java.util.function.Function<Duration, List<ModelRow>> fetch) {
        Map<Map<String, String>, Double> out = new HashMap<>();
        if (!rule.kind().perModel()) {
            double value = spend(fetch.apply(rule.kind() == Rule.LlmKind.SPEND_BURN_RATE ? rule.shortWindow() : rule.window()));
            if (rule.kind() == Rule.LlmKind.SPEND_BURN_RATE) {
                value = value * rule.window().toSeconds() / rule.shortWindow().toSeconds();
            }
            if (value > rule.threshold()) {
                Map<String, String> labels = new TreeMap<>();
                labels.put("tenant", rule.tenant());
                if (rule.user() != null) {
                    labels.put("user", rule.user());
                }
                if (rule.model() != null) {
                    labels.put("model", rule.model());
                }
                out.put(Map.copyOf(labels), value);
            }
            return out;
        }
        for (ModelRow row : fetch.apply(rule.window())) {
            if (row.getRequests() < rule.minRequests()) {
                continue;
            }
            double value = switch (rule.kind()) {
                case ERROR_RATE -> row.getErrorRate();
                case P95_LATENCY_MS -> row.getP95LatencyMs();
                default -> row.getUnpricedRequests();
            };
            if (value > rule.threshold()) {
                out.put(Map.of("tenant", rule.tenant(), "model", row.getModel(), "provider", row.getProvider()), value);
            }
        }
        return out;
    }

    private static double spend(List<ModelRow> rows) {
        return rows.stream().map(r -> new BigDecimal(r.getCostUsd())).reduce(BigDecimal.ZERO, BigDecimal::add).doubleValue();
    }

}
