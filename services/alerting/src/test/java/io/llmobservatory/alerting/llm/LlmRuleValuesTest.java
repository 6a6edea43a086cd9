package io.llmobservatory.alerting.llm;

import io.llmobservatory.alerting.rules.Rule;
import io.llmobservatory.alerting.rules.RuleRepository;
import io.llmobservatory.shared.query.v1.ModelRow;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** LLM rule judgements over the rows the query service would answer (the gRPC hop is one layer down). */
class LlmRuleValuesTest {
    private static final List<ModelRow> DAY = List.of(
            ModelRow.newBuilder().setModel("gpt-4o").setProvider("openai").setRequests(100).setCostUsd("30.5")
                    .setErrorRate(0.10).setP95LatencyMs(4000).setUnpricedRequests(0).build(),
            ModelRow.newBuilder().setModel("mystery").setProvider("(unknown)").setRequests(5).setCostUsd("0")
                    .setErrorRate(0.5).setP95LatencyMs(90000).setUnpricedRequests(5).build());
    private static final List<ModelRow> HOUR = List.of(
            ModelRow.newBuilder().setModel("gpt-4o").setProvider("openai").setRequests(10).setCostUsd("4.25").build());

    private static Rule.LlmRule rule(String yaml) {
        return RuleRepository.parse("llm:\n" + yaml).llm().get(0);
    }

    private static List<ModelRow> fetch(Duration window) {
        return window.equals(Duration.ofHours(1)) ? HOUR : DAY;
    }

    @Test
    void spendBudgetAndBurnRate() {
        assertThat(LlmRuleValues.active(rule("- {name: B, kind: spend_budget, tenant: acme, window: 24h, threshold: 30}"),
                LlmRuleValuesTest::fetch)).containsExactly(Map.entry(Map.of("tenant", "acme"), 30.5));
        assertThat(LlmRuleValues.active(rule("- {name: B, kind: spend_budget, tenant: acme, window: 24h, threshold: 31}"),
                LlmRuleValuesTest::fetch)).isEmpty();
        // 4.25 USD in the last hour is 102 USD a day: over a 100 USD daily budget before it is spent
        assertThat(LlmRuleValues.active(rule("- {name: B, kind: spend_burn_rate, tenant: acme, user: u1, window: 24h,"
                + " shortWindow: 1h, threshold: 100}"), LlmRuleValuesTest::fetch).entrySet()).singleElement().satisfies(e -> {
                    assertThat(e.getKey()).isEqualTo(Map.of("tenant", "acme", "user", "u1"));
                    assertThat(e.getValue()).isCloseTo(102.0, within(1e-9));
                });
    }

    @Test
    void perModelRulesSkipModelsWithTooFewCalls() {
        assertThat(LlmRuleValues.active(rule("- {name: E, kind: error_rate, window: 24h, threshold: 0.05, minRequests: 20}"),
                LlmRuleValuesTest::fetch)).containsOnlyKeys(Map.of("tenant", "default", "model", "gpt-4o", "provider", "openai"));
        assertThat(LlmRuleValues.active(rule("- {name: P, kind: p95_latency_ms, window: 24h, threshold: 3000, minRequests: 1}"),
                LlmRuleValuesTest::fetch)).hasSize(2);
        assertThat(LlmRuleValues.active(rule("- {name: U, kind: unpriced_calls, window: 24h, threshold: 4}"),
                LlmRuleValuesTest::fetch)).containsExactly(Map.entry(Map.of("tenant", "default", "model", "mystery",
                "provider", "(unknown)"), 5.0));
    }
}
