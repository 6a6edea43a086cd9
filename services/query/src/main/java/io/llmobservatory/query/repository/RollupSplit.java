package io.llmobservatory.query.repository;

import io.llmobservatory.query.service.Filters;
import io.llmobservatory.query.service.TimeRange;

import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a window [from, to) is answered from the rollups: the whole UTC days [daysFrom, daysTo) from a daily rollup,
 * the whole hours around them [hoursFrom, daysFrom) and [daysTo, hoursTo) from an hourly rollup, and the edges
 * [from, hoursFrom) and [hoursTo, to) from raw {@code llm_calls} rows. Ranges that hold nothing collapse onto a
 * single instant (a window without a whole hour is all edge), so the answer is exact for any window. A split without
 * days (for buckets narrower than a day) has daysFrom = daysTo = hoursTo.
 *
 * <p>Without TimescaleDB the rollups lag the calls by up to a drain (about a second): calls stored but not yet added
 * are in {@code llm_call_rollup_queue} (V10), with the columns of {@code llm_calls} the rollups are made of, so the
 * rollup-served range [hoursFrom, hoursTo) adds the queued rows of that range as if they were raw rows. The drainer
 * moves a row from the queue into the rollups in one transaction, and a query is one statement (one snapshot), so a
 * call is counted exactly once however the two interleave.
 *
 * <p>Parameters: $1 the tenant, $2-$7 the six instants, then from $8 whatever the query adds (the model filters
 * take $8-$10).
 */
public record RollupSplit(Instant from, Instant hoursFrom, Instant daysFrom, Instant daysTo, Instant hoursTo, Instant to) {
    /** Daily rollup rows of the tenant in the whole days [$4, $5). */
    static final String DAYS = " tenant = $1 AND bucket >= $4 AND bucket < $5 ";
    /** Hourly rollup rows of the tenant in the whole hours [$3, $4) and [$5, $6). */
    static final String HOURS = " tenant = $1 AND ((bucket >= $3 AND bucket < $4) OR (bucket >= $5 AND bucket < $6)) ";
    /** Raw rows of the tenant at the window's edges [$2, $3) and [$6, $7). */
    static final String RAW_EDGES = " tenant = $1 AND ((time >= $2 AND time < $3) OR (time >= $6 AND time < $7)) ";
    /** Queued (not yet rolled up) calls of the tenant in the rollup-served range [$3, $6). */
    static final String QUEUED = " tenant = $1 AND time >= $3 AND time < $6 ";
    /** The filters the rollups can answer: model $8, provider $9, service $10. */
    static final String MODEL_FILTERS = """
             AND ($8::text IS NULL OR model = $8) AND ($9::text IS NULL OR provider = $9)
              AND ($10::text IS NULL OR service_name = $10)
            """;

    public static RollupSplit of(TimeRange range) {
        return of(range.from(), range.to(), true);
    }

    /** The split for trend buckets of this width: whole days only when the bucket is a whole number of days. */
    public static RollupSplit of(TimeRange range, Duration bucket) {
        return of(range.from(), range.to(), bucket.toSeconds() % 86_400 == 0);
    }

    public static RollupSplit of(Instant from, Instant to, boolean days) {
        Instant hoursFrom = ceil(from, ChronoUnit.HOURS);
        Instant hoursTo = to.truncatedTo(ChronoUnit.HOURS);
        if (!hoursFrom.isBefore(hoursTo)) {
            return new RollupSplit(from, to, to, to, to, to);
        }
        Instant daysFrom = ceil(hoursFrom, ChronoUnit.DAYS);
        Instant daysTo = hoursTo.truncatedTo(ChronoUnit.DAYS);
        if (!days || !daysFrom.isBefore(daysTo)) {
            return new RollupSplit(from, hoursFrom, hoursTo, hoursTo, hoursTo, to);
        }
        return new RollupSplit(from, hoursFrom, daysFrom, daysTo, hoursTo, to);
    }

    private static Instant ceil(Instant t, ChronoUnit unit) {
        Instant floor = t.truncatedTo(unit);
        return floor.equals(t) ? t : floor.plus(1, unit);
    }

    /** The parameters $1-$7 (tenant and this split), then {@code extra} from $8 on. */
    Tuple args(String tenant, Object... extra) {
        List<Object> values = new ArrayList<>(Arrays.asList(tenant, utc(from), utc(hoursFrom), utc(daysFrom),
                utc(daysTo), utc(hoursTo), utc(to)));
        values.addAll(Arrays.asList(extra));
        return Tuple.wrap(values);
    }

    /**
     * The parts of a per-model answer as one UNION ALL: {@code rollupColumns} selected from the daily and the
     * hourly rollup ({@code table + "_1d"} / {@code "_1h"}), {@code rawColumns} from the raw edges and from the queued
     * calls of the rollup-served range (grouped by {@code rawGroupBy} when not null), all under the model filters.
     */
    static String parts(String table, String rollupColumns, String rawColumns, String rawGroupBy) {
        return "SELECT " + rollupColumns + " FROM " + table + "_1d WHERE" + DAYS + MODEL_FILTERS
                + " UNION ALL SELECT " + rollupColumns + " FROM " + table + "_1h WHERE" + HOURS + MODEL_FILTERS
                + " UNION ALL " + rawParts(rawColumns, "", rawGroupBy);
    }

    /**
     * The raw rows of a split as one UNION ALL: {@code rawColumns} from {@code llm_calls} at the edges and from the
     * rollup queue in the rollup-served range, under the model filters and {@code condition} (empty, or starting
     * with AND), grouped by {@code rawGroupBy} when not null.
     */
    static String rawParts(String rawColumns, String condition, String rawGroupBy) {
        String tail = MODEL_FILTERS + condition + (rawGroupBy == null ? "" : " GROUP BY " + rawGroupBy);
        return "SELECT " + rawColumns + " FROM llm_calls WHERE" + RAW_EDGES + tail
                + " UNION ALL SELECT " + rawColumns + " FROM llm_call_rollup_queue WHERE" + QUEUED + tail;
    }

    /** The rollups have no session dimension and no per-status split; the user dimension only in the user rollups. */
    public static boolean rollupAnswers(Filters f) {
        return f.user() == null && f.session() == null && f.status() == null;
    }

    private static Object utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
