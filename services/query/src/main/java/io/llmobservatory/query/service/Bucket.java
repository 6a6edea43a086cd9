package io.llmobservatory.query.service;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Time bucket widths the trend endpoints accept (a whitelist: the width reaches SQL as an interval parameter). */
public final class Bucket {
    private static final Map<String, Duration> WIDTHS = new LinkedHashMap<>();

    static {
        WIDTHS.put("1m", Duration.ofMinutes(1));
        WIDTHS.put("5m", Duration.ofMinutes(5));
        WIDTHS.put("15m", Duration.ofMinutes(15));
        WIDTHS.put("1h", Duration.ofHours(1));
        WIDTHS.put("6h", Duration.ofHours(6));
        WIDTHS.put("1d", Duration.ofDays(1));
    }

    private Bucket() {
    }

    public static Duration parse(String bucket, TimeRange range) {
        String b = bucket == null || bucket.isBlank() ? "1h" : bucket.trim();
        Duration width = WIDTHS.get(b);
        if (width == null) {
            throw new InvalidParameterException("bucket must be one of " + WIDTHS.keySet() + ", got '" + bucket + "'");
        }
        long buckets = Duration.between(range.from(), range.to()).dividedBy(width);
        if (buckets > 10_000) {
            throw new InvalidParameterException("bucket " + b + " over this window makes " + buckets
                    + " buckets; the most is 10000: use a wider bucket or a shorter window");
        }
        return width;
    }
}
