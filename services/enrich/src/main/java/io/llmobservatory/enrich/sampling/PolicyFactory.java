package io.llmobservatory.enrich.sampling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmobservatory.enrich.sampling.policy.AndPolicy;
import io.llmobservatory.enrich.sampling.policy.CompositePolicy;
import io.llmobservatory.enrich.sampling.policy.CostPolicy;
import io.llmobservatory.enrich.sampling.policy.LatencyPolicy;
import io.llmobservatory.enrich.sampling.policy.NumericAttributePolicy;
import io.llmobservatory.enrich.sampling.policy.ProbabilisticPolicy;
import io.llmobservatory.enrich.sampling.policy.RateLimitingPolicy;
import io.llmobservatory.enrich.sampling.policy.StatusCodePolicy;
import io.llmobservatory.enrich.sampling.policy.StringAttributePolicy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Builds tail-sampling policies from JSON shaped like the OpenTelemetry Collector's {@code tail_sampling.policies}
 * ({@code [{"name": "errors", "type": "status_code", "status_code": {"status_codes": ["ERROR"]}}, ...]}), plus a
 * {@code cost} type. Every mistake is reported with the policy's position and name, at start-up.
 */
public final class PolicyFactory {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyFactory() {
    }

    /** @throws IllegalArgumentException naming the first problem */
    public static List<SamplingPolicy> parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("tail sampling policies are not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw new IllegalArgumentException("tail sampling policies must be a non-empty JSON array of policies");
        }
        return list(root, "policies");
    }

    private static List<SamplingPolicy> list(JsonNode array, String path) {
        List<SamplingPolicy> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            SamplingPolicy p = policy(array.get(i), path + "[" + i + "]");
            if (!names.add(p.name())) {
                throw new IllegalArgumentException(path + "[" + i + "]: duplicate policy name '" + p.name() + "'");
            }
            out.add(p);
        }
        return out;
    }

    private static SamplingPolicy policy(JsonNode node, String at) {
        String name = node.path("name").asText("");
        String type = node.path("type").asText("");
        String where = at + (name.isEmpty() ? "" : " ('" + name + "')");
        if (name.isBlank()) {
            throw new IllegalArgumentException(at + ": every policy needs a name");
        }
        JsonNode cfg = node.path(type);
        return switch (type) {
            case "always_sample" -> new ProbabilisticPolicy(name, 100);
            case "status_code" -> {
                Set<Integer> codes = new HashSet<>();
                for (JsonNode c : required(cfg, "status_codes", where)) {
                    codes.add(switch (c.asText().toUpperCase(Locale.ROOT)) {
                        case "UNSET" -> 0;
                        case "OK" -> 1;
                        case "ERROR" -> 2;
                        default -> throw new IllegalArgumentException(where + ": status_code.status_codes: '"
                                + c.asText() + "' is not one of UNSET, OK, ERROR");
                    });
                }
                yield new StatusCodePolicy(name, Set.copyOf(codes));
            }
            case "latency" -> {
                long threshold = positive(cfg, "threshold_ms", where);
                long upper = cfg.path("upper_threshold_ms").asLong(0);
                if (upper > 0 && upper <= threshold) {
                    throw new IllegalArgumentException(where + ": latency.upper_threshold_ms must exceed threshold_ms");
                }
                yield new LatencyPolicy(name, threshold, upper);
            }
            case "cost" -> {
                JsonNode min = cfg.get("min_usd");
                if (min == null || !min.isNumber() || min.decimalValue().signum() < 0) {
                    throw new IllegalArgumentException(where + ": cost.min_usd must be a number >= 0");
                }
                yield new CostPolicy(name, min.decimalValue());
            }
            case "probabilistic" -> {
                JsonNode pct = cfg.get("sampling_percentage");
                if (pct == null || !pct.isNumber() || pct.asDouble() < 0 || pct.asDouble() > 100) {
                    throw new IllegalArgumentException(where + ": probabilistic.sampling_percentage must be 0-100");
                }
                yield new ProbabilisticPolicy(name, pct.asDouble());
            }
            case "string_attribute" -> {
                String key = text(cfg, "key", where);
                List<String> values = new ArrayList<>();
                required(cfg, "values", where).forEach(v -> values.add(v.asText()));
                boolean regex = cfg.path("enabled_regex_matching").asBoolean(false);
                List<Pattern> patterns = new ArrayList<>();
                if (regex) {
                    for (String v : values) {
                        try {
                            patterns.add(Pattern.compile(v));
                        } catch (PatternSyntaxException e) {
                            throw new IllegalArgumentException(where + ": string_attribute.values: invalid regex '" + v + "'");
                        }
                    }
                }
                yield new StringAttributePolicy(name, key, regex ? List.of() : List.copyOf(values), patterns,
                        cfg.path("invert_match").asBoolean(false));
            }
            case "numeric_attribute" -> {
                String key = text(cfg, "key", where);
                double min = cfg.path("min_value").asDouble(Double.NEGATIVE_INFINITY);
                double max = cfg.path("max_value").asDouble(Double.POSITIVE_INFINITY);
                if (!cfg.has("min_value") && !cfg.has("max_value")) {
                    throw new IllegalArgumentException(where + ": numeric_attribute needs min_value or max_value");
                }
                if (min > max) {
                    throw new IllegalArgumentException(where + ": numeric_attribute.min_value exceeds max_value");
                }
                yield new NumericAttributePolicy(name, key, min, max);
            }
            case "rate_limiting" -> new RateLimitingPolicy(name, positive(cfg, "spans_per_second", where));
            case "and" -> new AndPolicy(name, list(required(cfg, "and_sub_policy", where), where + ".and.and_sub_policy"));
            case "composite" -> composite(name, cfg, where);
            default -> throw new IllegalArgumentException(where + ": unknown policy type '" + type + "'; known: "
                    + "always_sample, status_code, latency, cost, probabilistic, string_attribute, numeric_attribute, "
                    + "rate_limiting, and, composite");
        };
    }

    private static SamplingPolicy composite(String name, JsonNode cfg, String where) {
        long max = positive(cfg, "max_total_spans_per_second", where);
        Map<String, SamplingPolicy> subs = new LinkedHashMap<>();
        for (SamplingPolicy p : list(required(cfg, "composite_sub_policy", where), where + ".composite.composite_sub_policy")) {
            subs.put(p.name(), p);
        }
        Map<String, Double> percent = new LinkedHashMap<>();
        cfg.path("rate_allocation").forEach(a -> percent.put(a.path("policy").asText(), a.path("percent").asDouble()));
        List<String> order = new ArrayList<>();
        JsonNode orderNode = cfg.get("policy_order");
        if (orderNode != null) {
            orderNode.forEach(o -> order.add(o.asText()));
        } else {
            order.addAll(subs.keySet());
        }
        double total = 0;
        List<CompositePolicy.Allocation> allocations = new ArrayList<>();
        for (String policyName : order) {
            SamplingPolicy p = subs.get(policyName);
            if (p == null) {
                throw new IllegalArgumentException(where + ": composite.policy_order names unknown sub-policy '" + policyName + "'");
            }
            double share = percent.getOrDefault(policyName, 100.0 / order.size());
            total += share;
            allocations.add(new CompositePolicy.Allocation(p, share));
        }
        if (total > 100.0001) {
            throw new IllegalArgumentException(where + ": composite.rate_allocation adds up to " + total + " %, over 100");
        }
        return new CompositePolicy(name, max, allocations);
    }

    private static JsonNode required(JsonNode cfg, String field, String where) {
        JsonNode v = cfg.get(field);
        if (v == null || !v.isArray() || v.isEmpty()) {
            throw new IllegalArgumentException(where + ": " + field + " must be a non-empty array");
        }
        return v;
    }

    private static String text(JsonNode cfg, String field, String where) {
        JsonNode v = cfg.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": " + field + " must be a non-empty string");
        }
        return v.asText();
    }

    private static long positive(JsonNode cfg, String field, String where) {
        JsonNode v = cfg.get(field);
        if (v == null || !v.canConvertToLong() || v.asLong() <= 0) {
            throw new IllegalArgumentException(where + ": " + field + " must be a whole number > 0");
        }
        return v.asLong();
    }

}
