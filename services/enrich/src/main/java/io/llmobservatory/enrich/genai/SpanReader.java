package io.llmobservatory.enrich.genai;

import io.llmobservatory.shared.model.Attributes;
import io.llmobservatory.shared.semconv.AttributeKey;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads typed values from a span's attributes and remembers which keys gave them. */
final class SpanReader {
    private final Attributes attributes;
    private final List<String> used = new ArrayList<>(8);
    private final List<String> rejected = new ArrayList<>(2);

    SpanReader(Attributes attributes) {
        this.attributes = attributes;
    }

    /** The first key present with a non-blank value. */
    String string(AttributeKey... keys) {
        for (AttributeKey key : keys) {
            Optional<String> v = attributes.string(key);
            if (v.isPresent()) {
                used.add(key.key());
                return v.get();
            }
        }
        return null;
    }

    /** The first key present with a non-negative whole number (token counts). */
    Long count(AttributeKey... keys) {
        for (AttributeKey key : keys) {
            Optional<Long> v = attributes.integer(key);
            if (v.isPresent() && v.get() >= 0) {
                used.add(key.key());
                return v.get();
            }
            rejectIfPresent(key);
        }
        return null;
    }

    /** The first key present with a non-negative number. */
    Double number(AttributeKey... keys) {
        for (AttributeKey key : keys) {
            Optional<Double> v = attributes.decimal(key);
            if (v.isPresent() && v.get() >= 0) {
                used.add(key.key());
                return v.get();
            }
            rejectIfPresent(key);
        }
        return null;
    }

    /** A non-negative USD amount, exactly as sent. */
    BigDecimal usd(AttributeKey key) {
        Object raw = attributes.raw(key.key());
        BigDecimal v = null;
        try {
            if (raw instanceof Double d && Double.isFinite(d)) {
                v = BigDecimal.valueOf(d);
            } else if (raw instanceof Long l) {
                v = BigDecimal.valueOf(l);
            } else if (raw instanceof String s) {
                v = new BigDecimal(s.trim());
            }
        } catch (NumberFormatException e) {
            rejectIfPresent(key);
            return null;
        }
        if (v == null || v.signum() < 0) {
            rejectIfPresent(key);
            return null;
        }
        used.add(key.key());
        return v;
    }

    List<String> strings(AttributeKey key) {
        List<String> v = attributes.strings(key);
        if (!v.isEmpty()) {
            used.add(key.key());
        }
        return v;
    }

    /** Seconds to milliseconds. */
    static Double millis(Double seconds) {
        return seconds == null ? null : seconds * 1000.0;
    }

    /** A key that is there but whose value is not a usable number: a normalization failure. */
    private void rejectIfPresent(AttributeKey key) {
        Object raw = attributes.raw(key.key());
        if (raw != null && !(raw instanceof String s && s.isBlank())) {
            rejected.add(key.key());
        }
    }

    List<String> keysUsed() {
        return used;
    }

    GenAiFacts build(GenAiFacts.Builder builder) {
        return builder.build(used, rejected);
    }
}
