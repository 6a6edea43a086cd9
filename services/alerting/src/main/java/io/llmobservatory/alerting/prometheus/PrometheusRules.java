package io.llmobservatory.alerting.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.llmobservatory.alerting.rules.Rule;
import io.llmobservatory.alerting.rules.RuleSet;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The health rules for a cluster's Prometheus (the production path): a rule file ({@code rule_files}) and the same
 * group as a Prometheus Operator {@code PrometheusRule}. Expressions are the rules' own, in PromQL with both metric
 * spellings; LLM rules stay with the alerting service (they read the LLM-call store through the query service).
 */
public final class PrometheusRules {
    public static final String GROUP = "observatory-collector-health";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private PrometheusRules() {
    }

    public static String ruleFile(RuleSet rules) {
        return yaml(Map.of("groups", List.of(group(rules))));
    }

    public static String prometheusRule(RuleSet rules) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", "monitoring.coreos.com/v1");
        manifest.put("kind", "PrometheusRule");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", GROUP);
        metadata.put("labels", new java.util.TreeMap<>(Map.of("app.kubernetes.io/part-of", "llm-observatory",
                "prometheus", "observatory")));
        manifest.put("metadata", metadata);
        manifest.put("spec", Map.of("groups", List.of(group(rules))));
        return yaml(manifest);
    }

    private static Map<String, Object> group(RuleSet rules) {
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("name", GROUP);
        group.put("rules", rules.health().stream().map(PrometheusRules::rule).toList());
        return group;
    }

    private static Map<String, Object> rule(Rule.HealthRule rule) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alert", rule.name());
        out.put("expr", rule.expr().toPromQl());
        if (!rule.forDuration().isZero()) {
            out.put("for", duration(rule.forDuration()));
        }
        if (!rule.labels().isEmpty()) {
            out.put("labels", new java.util.TreeMap<>(rule.labels()));
        }
        if (!rule.annotations().isEmpty()) {
            out.put("annotations", new java.util.TreeMap<>(rule.annotations()));
        }
        return out;
    }

    private static String duration(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    private static String yaml(Object value) {
        try {
            return YAML.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
