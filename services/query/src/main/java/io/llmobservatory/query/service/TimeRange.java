package io.llmobservatory.query.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A query window [from, to). Each bound is RFC 3339 ({@code 2026-11-27T10:00:00Z}), Unix seconds, or relative
 * to now ({@code 24h}, {@code 30m}, {@code 7d}, {@code now}). Defaults: to = now, from = to - default range.
 */
public record TimeRange(Instant from, Instant to) {
    private static final Pattern RELATIVE = Pattern.compile("(?:now-?)?(\\d+)(ms|s|m|h|d|w)");

    public static TimeRange parse(String from, String to, Duration defaultRange, Clock clock) {
        Instant now = clock.instant();
        Instant end = isBlank(to) ? now : parseBound("to", to, now);
        Instant start = isBlank(from) ? end.minus(defaultRange) : parseBound("from", from, now);
        if (!start.isBefore(end)) {
            throw new InvalidParameterException("'from' (" + start + ") must be before 'to' (" + end + ")");
        }
        return new TimeRange(start, end);
    }

    static Instant parseBound(String name, String value, Instant now) {
        String v = value.trim();
        if (v.equals("now")) {
            return now;
        }
        Matcher m = RELATIVE.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            return now.minus(d);
        }
        if (v.matches("\\d{9,11}")) {
            return Instant.ofEpochSecond(Long.parseLong(v));
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException("'" + name + "' must be an RFC 3339 time (2026-11-27T10:00:00Z), "
                    + "Unix seconds, or a duration before now like 24h, 30m, 7d; got '" + value + "'");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
