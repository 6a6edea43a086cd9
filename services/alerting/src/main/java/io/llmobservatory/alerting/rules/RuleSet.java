package io.llmobservatory.alerting.rules;

import io.llmobservatory.shared.model.TenantIds;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The validated rules; {@link #of(RuleFile)} refuses a file with a message naming the rule and the field. */
public record RuleSet(List<Rule.HealthRule> health, List<Rule.LlmRule> llm, RuleFile source) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,99}");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,99}");

    public static RuleSet of(RuleFile file) {
        if (file == null) {
            throw new RuleSyntaxException("the rule file is empty", -1);
        }
        Set<String> names = new HashSet<>();
        List<Rule.HealthRule> health = new ArrayList<>();
        List<RuleFile.Health> hs = file.health() == null ? List.of() : file.health();
        for (int i = 0; i < hs.size(); i++) {
            RuleFile.Health h = hs.get(i);
            String where = "health[" + i + "]" + (h != null && h.name() != null ? " (" + h.name() + ")" : "");
            try {
                if (h == null) {
                    throw new RuleSyntaxException("is empty", -1);
                }
                String name = name(h.name(), names);
                health.add(new Rule.HealthRule(name, h.expr(), HealthExprParser.parse(h.expr()),
                        forDuration(h.forDuration()), labels(h.labels()), annotations(h.annotations())));
            } catch (RuleSyntaxException e) {
                throw new RuleSyntaxException(where + ": " + e.getMessage(), -1);
            }
        }
        List<Rule.LlmRule> llm = new ArrayList<>();
        List<RuleFile.Llm> ls = file.llm() == null ? List.of() : file.llm();
        for (int i = 0; i < ls.size(); i++) {
            RuleFile.Llm l = ls.get(i);
            String where = "llm[" + i + "]" + (l != null && l.name() != null ? " (" + l.name() + ")" : "");
            try {
                if (l == null) {
                    throw new RuleSyntaxException("is empty", -1);
                }
                llm.add(llm(l, names));
            } catch (RuleSyntaxException e) {
                throw new RuleSyntaxException(where + ": " + e.getMessage(), -1);
            }
        }
        return new RuleSet(List.copyOf(health), List.copyOf(llm), file);
    }

    private static Rule.LlmRule llm(RuleFile.Llm l, Set<String> names) {
        String name = name(l.name(), names);
        Rule.LlmKind kind = Arrays.stream(Rule.LlmKind.values()).filter(k -> k.id.equals(l.kind())).findFirst()
                .orElseThrow(() -> new RuleSyntaxException("kind must be one of " + Arrays.stream(Rule.LlmKind.values())
                        .map(k -> k.id).collect(Collectors.joining(", ")) + ", got '" + l.kind() + "'", -1));
        String tenant = l.tenant() == null ? "default" : l.tenant();
        if (!TenantIds.isValid(tenant)) {
            throw new RuleSyntaxException("tenant must be " + TenantIds.RULE, -1);
        }
        Duration window = HealthExprParser.parseDuration("window", l.window());
        if (window.isZero() || window.compareTo(Duration.ofDays(400)) > 0) {
            throw new RuleSyntaxException("window must be between 1s and 400d", -1);
        }
        Duration shortWindow = null;
        if (kind == Rule.LlmKind.SPEND_BURN_RATE) {
            shortWindow = HealthExprParser.parseDuration("shortWindow", l.shortWindow());
            if (shortWindow.isZero() || shortWindow.compareTo(window) >= 0) {
                throw new RuleSyntaxException("shortWindow must be shorter than window", -1);
            }
        } else if (l.shortWindow() != null) {
            throw new RuleSyntaxException("shortWindow applies to spend_burn_rate only", -1);
        }
        if (l.threshold() == null || l.threshold().isNaN() || l.threshold().isInfinite() || l.threshold() < 0) {
            throw new RuleSyntaxException("threshold must be a number ≥ 0", -1);
        }
        long minRequests = l.minRequests() == null ? 1 : l.minRequests();
        if (minRequests < 0) {
            throw new RuleSyntaxException("minRequests must not be negative", -1);
        }
        return new Rule.LlmRule(name, kind, tenant, blank(l.user()), blank(l.model()), window, shortWindow,
                l.threshold(), minRequests, forDuration(l.forDuration()), labels(l.labels()), annotations(l.annotations()));
    }

    private static String name(String name, Set<String> names) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new RuleSyntaxException("name must be letters, digits and '_' (like HighErrorRate), got '" + name + "'", -1);
        }
        if (!names.add(name)) {
            throw new RuleSyntaxException("name '" + name + "' is used by another rule", -1);
        }
        return name;
    }

    private static Duration forDuration(String value) {
        return value == null ? Duration.ZERO : HealthExprParser.parseDuration("for", value);
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        Map<String, String> out = new LinkedHashMap<>();
        if (labels != null) {
            labels.forEach((k, v) -> {
                if (!LABEL.matcher(k).matches() || k.startsWith("__")) {
                    throw new RuleSyntaxException("label name '" + k + "' is not a valid Prometheus label name", -1);
                }
                if (k.equals("alertname")) {
                    throw new RuleSyntaxException("the alertname label is the rule's name", -1);
                }
                out.put(k, v == null ? "" : v);
            });
        }
        return Map.copyOf(out);
    }

    /** An annotation without text (YAML {@code summary:}) is empty, as a label without a value is. */
    private static Map<String, String> annotations(Map<String, String> annotations) {
        Map<String, String> out = new LinkedHashMap<>();
        if (annotations != null) {
            annotations.forEach((k, v) -> out.put(k, v == null ? "" : v));
        }
        return Map.copyOf(out);
    }

    private static String blank(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }
}
