package io.llmobservatory.enrich.sampling;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tail-sampling config in the Collector's shape: what parses, and the error each mistake gets. */
class PolicyFactoryTest {

    @Test
    void parsesEveryPolicyTypeInTheCollectorsShape() {
        List<SamplingPolicy> policies = PolicyFactory.parse("""
                [{"name": "errors", "type": "status_code", "status_code": {"status_codes": ["ERROR"]}},
                 {"name": "slow", "type": "latency", "latency": {"threshold_ms": 5000}},
                 {"name": "expensive", "type": "cost", "cost": {"min_usd": 0.05}},
                 {"name": "base", "type": "probabilistic", "probabilistic": {"sampling_percentage": 1}},
                 {"name": "gold", "type": "string_attribute", "string_attribute": {"key": "tier", "values": ["gold"]}},
                 {"name": "big", "type": "numeric_attribute", "numeric_attribute": {"key": "gen_ai.usage.input_tokens", "min_value": 100000}},
                 {"name": "cap", "type": "rate_limiting", "rate_limiting": {"spans_per_second": 100}},
                 {"name": "slow-errors", "type": "and", "and": {"and_sub_policy": [
                     {"name": "e", "type": "status_code", "status_code": {"status_codes": ["ERROR"]}},
                     {"name": "s", "type": "latency", "latency": {"threshold_ms": 100}}]}},
                 {"name": "budget", "type": "composite", "composite": {"max_total_spans_per_second": 1000,
                     "policy_order": ["a", "b"],
                     "composite_sub_policy": [
                         {"name": "a", "type": "status_code", "status_code": {"status_codes": ["ERROR"]}},
                         {"name": "b", "type": "always_sample"}],
                     "rate_allocation": [{"policy": "a", "percent": 50}, {"policy": "b", "percent": 25}]}}]
                """);
        assertThat(policies).extracting(SamplingPolicy::name).containsExactly("errors", "slow", "expensive", "base",
                "gold", "big", "cap", "slow-errors", "budget");
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> parseFails() throws java.io.IOException {
        try (var in = PolicyFactoryTest.class.getResourceAsStream("/sampling/parse_fails.txt")) {
            List<String> lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
            List<org.junit.jupiter.params.provider.Arguments> cases = new java.util.ArrayList<>();
            for (int i = 0; i + 1 < lines.size(); i += 2) {
                cases.add(org.junit.jupiter.params.provider.Arguments.of(lines.get(i), lines.get(i + 1).substring(3)));
            }
            return cases.stream();
        }
    }

    @ParameterizedTest(name = "{1}")
    @org.junit.jupiter.params.provider.MethodSource("parseFails")
    void mistakesAreNamedWithTheirPosition(String json, String message) {
        assertThatThrownBy(() -> PolicyFactory.parse(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
