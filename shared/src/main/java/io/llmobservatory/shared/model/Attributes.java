package io.llmobservatory.shared.model;

import io.llmobservatory.shared.semconv.AttributeKey;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Immutable attribute map of a span, event, link, resource or scope. Values are the Java forms of OTLP
 * AnyValue: String, Long, Double, Boolean, List, Map (kvlist) or byte[] rendered as base64 String.
 * Typed reads coerce the way real instrumentations send numbers (as int, double or string).
 */
public final class Attributes {
    private static final Attributes EMPTY = new Attributes(Map.of());

    private final Map<String, Object> values;

    private Attributes(Map<String, Object> values) {
        this.values = values;
    }

    public static Attributes empty() {
        return EMPTY;
    }

    public static Attributes of(Map<String, Object> values) {
        return values.isEmpty() ? EMPTY : wrap(new LinkedHashMap<>(values));
    }

    /**
     * Attributes over a map the caller has just built and hands over: no defensive copy (the hot paths build one
     * map per span and used to copy it again here). The caller must not keep or modify the map afterwards.
     */
    public static Attributes wrap(Map<String, Object> built) {
        if (built.isEmpty()) {
            return EMPTY;
        }
        return new Attributes(Collections.unmodifiableMap(built));
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public int size() {
        return values.size();
    }

    public boolean contains(AttributeKey key) {
        return values.containsKey(key.key());
    }

    /** Whether any key starts with one of the prefixes (a loop, not a stream: it runs for every span and dialect). */
    public boolean hasKeyStartingWith(String... prefixes) {
        for (String key : values.keySet()) {
            for (String prefix : prefixes) {
                if (key.startsWith(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }

    public Object raw(String key) {
        return values.get(key);
    }

    /** A non-blank string value, or empty. Numbers and booleans are rendered as strings. */
    public Optional<String> string(AttributeKey key) {
        return string(key.key());
    }

    public Optional<String> string(String key) {
        Object v = values.get(key);
        if (v == null || v instanceof List || v instanceof Map) {
            return Optional.empty();
        }
        String s = v.toString().trim();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    /** A whole number: integers as they are, integral doubles, and numeric strings. Negative values are kept. */
    public Optional<Long> integer(AttributeKey key) {
        Object v = values.get(key.key());
        if (v instanceof Long l) {
            return Optional.of(l);
        }
        if (v instanceof Double d && !d.isNaN() && !d.isInfinite()) {
            return Optional.of(Math.round(d));
        }
        if (v instanceof String s) {
            try {
                return Optional.of(Long.parseLong(s.trim()));
            } catch (NumberFormatException e) {
                try {
                    double d = Double.parseDouble(s.trim());
                    return Double.isFinite(d) ? Optional.of(Math.round(d)) : Optional.empty();
                } catch (NumberFormatException e2) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** A decimal number from a double, an integer or a numeric string. */
    public Optional<Double> decimal(AttributeKey key) {
        Object v = values.get(key.key());
        if (v instanceof Double d) {
            return Double.isFinite(d) ? Optional.of(d) : Optional.empty();
        }
        if (v instanceof Long l) {
            return Optional.of(l.doubleValue());
        }
        if (v instanceof String s) {
            try {
                double d = Double.parseDouble(s.trim());
                return Double.isFinite(d) ? Optional.of(d) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** A list of strings: an array value, or a single string taken as a one-element list. */
    public List<String> strings(AttributeKey key) {
        Object v = values.get(key.key());
        if (v instanceof List<?> list) {
            return list.stream().filter(x -> x != null).map(Object::toString).toList();
        }
        if (v instanceof String s && !s.isBlank()) {
            return List.of(s);
        }
        return List.of();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attributes other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
