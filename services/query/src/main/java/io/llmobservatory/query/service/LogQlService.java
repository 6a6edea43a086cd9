package io.llmobservatory.query.service;

import io.llmobservatory.query.logql.Ast;
import io.llmobservatory.query.logql.LogQl;
import io.llmobservatory.query.logql.LogQlEngine;
import io.llmobservatory.query.logql.LogQlException;
import io.llmobservatory.query.logql.LogSource;
import io.llmobservatory.query.repository.LogLineRepository;
import io.llmobservatory.query.store.ExternalStores;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * LogQL {@code query_range}: forwarded to Loki when Loki holds the logs, else the subset evaluated over PostgreSQL.
 * Parameters follow Loki's: {@code start}/{@code end} as nanoseconds, seconds or RFC 3339 (default the last hour),
 * {@code limit} (default 100, at most 5000), {@code direction} (backward|forward), {@code step} (duration or seconds).
 */
@ApplicationScoped
public class LogQlService {
    private static final int MAX_POINTS = 11_000;

    private final LogQlEngine engine;
    private final ExternalStores stores;
    private final Clock clock = Clock.systemUTC();

    public LogQlService(LogLineRepository logs, ExternalStores stores) {
        this.engine = new LogQlEngine(logs);
        this.stores = stores;
    }

    /** Loki's JSON answer: a String when forwarded to Loki, else a map with status and data. */
    public Uni<Object> queryRange(String tenant, String query, String start, String end, Integer limit, String direction,
                                  String step) {
        if (query == null || query.isBlank()) {
            throw new InvalidParameterException("query (LogQL) is required");
        }
        if (stores.loki().isPresent()) {
            StringBuilder path = new StringBuilder("/loki/api/v1/query_range?query=")
                    .append(URLEncoder.encode(query, StandardCharsets.UTF_8));
            append(path, "start", start);
            append(path, "end", end);
            append(path, "limit", limit == null ? null : limit.toString());
            append(path, "direction", direction);
            append(path, "step", step);
            return ExternalStores.blocking(() -> stores.loki().get().raw(tenant, path.toString()));
        }
        Ast ast;
        try {
            ast = LogQl.parse(query);
        } catch (LogQlException e) {
            throw new InvalidParameterException("LogQL: " + e.getMessage());
        }
        Instant to = end == null || end.isBlank() ? clock.instant() : time("end", end);
        Instant from = start == null || start.isBlank() ? to.minus(Duration.ofHours(1)) : time("start", start);
        if (!from.isBefore(to)) {
            throw new InvalidParameterException("start must be before end");
        }
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 5000) {
            throw new InvalidParameterException("limit must be between 1 and 5000, got " + n);
        }
        boolean backward = direction == null || direction.isBlank() || direction.equalsIgnoreCase("backward");
        if (!backward && !direction.equalsIgnoreCase("forward")) {
            throw new InvalidParameterException("direction must be backward or forward");
        }
        Duration stepDuration = step(step, from, to);
        Ast parsed = ast;
        return ExternalStores.blocking(() -> {
            try {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("status", "success");
                answer.put("data", engine.queryRange(tenant, parsed, from, to, stepDuration, n, backward));
                return (Object) answer;
            } catch (LogSource.TooManyLines e) {
                throw new InvalidParameterException(e.getMessage());
            }
        });
    }

    private static void append(StringBuilder path, String name, String value) {
        if (value != null && !value.isBlank()) {
            path.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    static Instant time(String name, String value) {
        String v = value.trim();
        try {
            if (v.matches("\\d{19}")) {
                long ns = Long.parseLong(v);
                return Instant.ofEpochSecond(ns / 1_000_000_000L, ns % 1_000_000_000L);
            }
            if (v.matches("\\d+(\\.\\d+)?")) {
                double seconds = Double.parseDouble(v);
                return Instant.ofEpochSecond((long) seconds, Math.round((seconds % 1) * 1e9));
            }
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new InvalidParameterException(name + " must be nanoseconds, seconds or RFC 3339, got '" + value + "'");
        }
    }

    private static Duration step(String step, Instant from, Instant to) {
        Duration range = Duration.between(from, to);
        Duration d;
        if (step == null || step.isBlank()) {
            d = Duration.ofSeconds(Math.max(1, (long) Math.ceil(range.toSeconds() / 250.0)));
        } else if (step.matches("\\d+(\\.\\d+)?")) {
            d = Duration.ofMillis(Math.round(Double.parseDouble(step) * 1000));
        } else {
            try {
                d = Duration.parse("PT" + step.toUpperCase());
            } catch (DateTimeParseException e) {
                throw new InvalidParameterException("step must be a duration such as 30s or 5m, or seconds; got '" + step + "'");
            }
        }
        if (d.isZero() || d.isNegative()) {
            throw new InvalidParameterException("step must be positive");
        }
        if (range.dividedBy(d) > MAX_POINTS) {
            throw new InvalidParameterException("step " + step + " makes more than " + MAX_POINTS + " points; use a larger step");
        }
        return d;
    }
}
