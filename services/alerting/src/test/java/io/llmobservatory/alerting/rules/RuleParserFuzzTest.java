package io.llmobservatory.alerting.rules;

import io.llmobservatory.testkit.Fuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input for the alert-rule parsers: 50,000 health expressions (mutations of health-exprs.csv and token
 * soup) and 20,000 rule files (mutations of the default rules) either parse or fail with RuleSyntaxException —
 * which the API answers with 400 — never another exception, never a hang.
 */
class RuleParserFuzzTest {
    private static final List<String> EXPR_TOKENS = List.of("rate(", ")", "[", "]", "{", "}", "=", "!=", "=~", "\"",
            ",", "/", ">", ">=", "<", "<=", "==", "5m", "30s", "1h", "0s", "100", "0.8", "-1e3", "_total", "sum(", "by",
            "otelcol_exporter_queue_size", "exporter", " ", "\\", "NaN", "Inf", "1e400");
    private static final List<String> YAML_TOKENS = List.of("\n", "  ", "- ", ": ", "{", "}", "[", "]", "health:",
            "llm:", "name: X", "expr: x > 1", "for: 5m", "kind: spend_budget", "window: 1h", "threshold: 1",
            "shortWindow: 1d", "labels: {a: b}", "annotations:", "\"", "'", "&a", "*a", "!!binary", "~", "null");

    @Test
    @Timeout(120)
    void healthExpressionsParseOrAreRefusedWithTheirPosition() throws IOException {
        List<String> seeds;
        try (InputStream in = getClass().getResourceAsStream("/health-exprs.csv")) {
            seeds = Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .filter(l -> !l.startsWith("#") && l.contains("|") && l.indexOf('|') > 0)
                    .map(l -> l.substring(0, l.indexOf('|'))).toList();
        }
        Fuzz fuzz = new Fuzz(7L, seeds, EXPR_TOKENS);
        assertThat(Fuzz.run(50_000, fuzz::next, HealthExprParser::parse, t -> t instanceof RuleSyntaxException)).isEmpty();
    }

    @Test
    @Timeout(120)
    void ruleFilesParseOrAreRefused() throws IOException {
        String defaults;
        try (InputStream in = getClass().getResourceAsStream("/default-rules.yaml")) {
            defaults = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Fuzz fuzz = new Fuzz(11L, List.of(defaults, "health: []\nllm: []\n",
                "llm:\n  - {name: B, kind: spend_burn_rate, window: 24h, shortWindow: 1h, threshold: 10}\n"), YAML_TOKENS);
        assertThat(Fuzz.run(20_000, fuzz::next, RuleRepository::parse, t -> t instanceof RuleSyntaxException)).isEmpty();
    }
}
