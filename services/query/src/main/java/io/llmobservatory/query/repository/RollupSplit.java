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
 * the whole hours around them [hoursFrom, daysFrom) and [daysTo, hoursTo) from an hourly rollup, the whole minutes
 * around those [minutesFrom, hoursFrom) and [hoursTo, minutesTo) from a per-minute rollup (V11; the model rollups
 * only), and the edges [from, minutesFrom) and [minutesTo, to) from raw {@code llm_calls} rows. Ranges that hold
 * nothing collapse onto a single instant (a window without a whole hour has no hour or day part), so the answer is
 * exact for any window. A split without days (for buckets narrower than a day) has daysFrom = daysTo = hoursTo; a
 * split without minutes (for rollups that have no minute level) has minutesFrom = hoursFrom, minutesTo = hoursTo.
 *
 * <p>Without TimescaleDB the rollups lag the calls by up to a drain (about a second): calls stored but not yet added
 * are in {@code llm_call_rollup_queue} (V10), with the columns of {@code llm_calls} the rollups are made of, so the
 * rollup-served range [minutesFrom, minutesTo) adds the queued rows of that range as if they were raw rows. The
 * drainer moves a row from the queue into the rollups in one transaction, and a query is one statement (one
 * snapshot), so a call is counted exactly once however the two interleave. The per-user rollups are drained in a
 * second, slower stage (V12): their queries also add that stage's queue ({@link #userRawParts}).
 *
 * <p>Parameters: $1 the tenant, $2-$9 the eight instants, then from $10 whatever the query adds (the model filters
 * take $10-$12).
 */
public record RollupSplit(Instant from, Instant minutesFrom, Instant hoursFrom, Instant daysFrom, Instant daysTo,
                          Instant hoursTo, Instant minutesTo, Instant to) {
    /** Daily rollup rows of the tenant in the whole days [$5, $6). */
    static final String DAYS = " tenant = $1 AND bucket >= $5 AND bucket < $6 ";
    /** Hourly rollup rows of the tenant in the whole hours [$4, $5) and [$6, $7). */
    static final String HOURS = " tenant = $1 AND ((bucket >= $4 AND bucket < $5) OR (bucket >= $6 AND bucket < $7)) ";
    /** Per-minute rollup rows of the tenant in the whole minutes [$3, $4) and [$7, $8). */
    static final String MINUTES = " tenant = $1 AND ((bucket >= $3 AND bucket < $4) OR (bucket >= $7 AND bucket < $8)) ";
    /** Raw rows of the tenant at the window's edges [$2, $3) and [$8, $9). */
    static final String RAW_EDGES = " tenant = $1 AND ((time >= $2 AND time < $3) OR (time >= $8 AND time < $9)) ";
    /** Queued (not yet rolled up) calls of the tenant in the rollup-served range [$3, $8). */
    static final String QUEUED = " tenant = $1 AND time >= $3 AND time < $8 ";
    /** The filters the rollups can answer: model $10, provider $11, service $12. */
    static final String MODEL_FILTERS = """
             AND ($10::text IS NULL OR model = $10) AND ($11::text IS NULL OR provider = $11)
              AND ($12::text IS NULL OR service_name = $12)
            """;

    /** The split for the model rollups (minutes, hours, days). */
    public static RollupSplit of(TimeRange range) {
        return of(range.from(), range.to(), true, true);
    }

    /** The split for trend buckets of this width: whole days only when the bucket is a whole number of days. */
    public static RollupSplit of(TimeRange range, Duration bucket) {
        return of(range.from(), range.to(), bucket.toSeconds() % 86_400 == 0, true);
    }

    /** The split for the per-user rollups, which have no minute level. */
    public static RollupSplit withoutMinutes(TimeRange range) {
        return of(range.from(), range.to(), true, false);
    }

    public static RollupSplit of(Instant from, Instant to, boolean days, boolean minutes) {
        Instant minutesFrom = ceil(from, ChronoUnit.MINUTES);
        Instant minutesTo = to.truncatedTo(ChronoUnit.MINUTES);
        boolean wholeMinutes = minutes && minutesFrom.isBefore(minutesTo);
        Instant hoursFrom = ceil(from, ChronoUnit.HOURS);
        Instant hoursTo = to.truncatedTo(ChronoUnit.HOURS);
        if (!hoursFrom.isBefore(hoursTo)) {
            // no whole hour: the rollup range is the whole minutes, or empty (at 'to') without them
            Instant start = wholeMinutes ? minutesFrom : to;
            Instant end = wholeMinutes ? minutesTo : to;
            return new RollupSplit(from, start, end, end, end, end, end, to);
        }
        if (!wholeMinutes) {
            minutesFrom = hoursFrom;
            minutesTo = hoursTo;
        }
        Instant daysFrom = ceil(hoursFrom, ChronoUnit.DAYS);
        Instant daysTo = hoursTo.truncatedTo(ChronoUnit.DAYS);
        if (!days || !daysFrom.isBefore(daysTo)) {
            return new RollupSplit(from, minutesFrom, hoursFrom, hoursTo, hoursTo, hoursTo, minutesTo, to);
        }
        return new RollupSplit(from, minutesFrom, hoursFrom, daysFrom, daysTo, hoursTo, minutesTo, to);
    }

    private static Instant ceil(Instant t, ChronoUnit unit) {
        Instant floor = t.truncatedTo(unit);
        return floor.equals(t) ? t : floor.plus(1, unit);
    }

    /** The parameters $1-$9 (tenant and this split), then {@code extra} from $10 on. */
    Tuple args(String tenant, Object... extra) {
        List<Object> values = new ArrayList<>(Arrays.asList(tenant, utc(from), utc(minutesFrom), utc(hoursFrom),
                utc(daysFrom), utc(daysTo), utc(hoursTo), utc(minutesTo), utc(to)));
        values.addAll(Arrays.asList(extra));
        return Tuple.wrap(values);
    }

    /**
     * The parts of a per-model answer as one UNION ALL: {@code rollupColumns} selected from the daily, the hourly and
     * the per-minute rollup ({@code table + "_1d"} / {@code "_1h"} / {@code "_1m"}), {@code rawColumns} from the raw
     * edges and from the queued calls of the rollup-served range (grouped by {@code rawGroupBy} when not null), all
     * under the model filters.
     */
    static String parts(String table, String rollupColumns, String rawColumns, String rawGroupBy) {
        return "SELECT " + rollupColumns + " FROM " + table + "_1d WHERE" + DAYS + MODEL_FILTERS
                + " UNION ALL SELECT " + rollupColumns + " FROM " + table + "_1h WHERE" + HOURS + MODEL_FILTERS
                + " UNION ALL SELECT " + rollupColumns + " FROM " + table + "_1m WHERE" + MINUTES + MODEL_FILTERS
                + " UNION ALL " + rawParts(rawColumns, "", rawGroupBy);
    }

    /**
     * The raw rows of a split as one UNION ALL: {@code rawColumns} from {@code llm_calls} at the edges and from the
     * rollup queue in the rollup-served range, under the model filters and {@code condition} (empty, or starting
     * with AND), grouped by {@code rawGroupBy} when not null.
     */
    static String rawParts(String rawColumns, String condition, String rawGroupBy) {
        String tail = tail(condition, rawGroupBy);
        return "SELECT " + rawColumns + " FROM llm_calls WHERE" + RAW_EDGES + tail
                + " UNION ALL SELECT " + rawColumns + " FROM llm_call_rollup_queue WHERE" + QUEUED + tail;
    }

    /**
     * The raw rows of a split for the per-user rollups: {@link #rawParts} and the calls in the rollup-served range
     * that the drainer has added to the model rollups but not yet to the per-user ones (V12
     * {@code llm_call_user_rollup_queue}, whose rows have the per-user rollups' columns only). The drainer moves a call
     * from one queue to the other in one transaction, so one statement sees it in exactly one of them.
     */
    static String userRawParts(String rawColumns, String condition, String rawGroupBy) {
        return rawParts(rawColumns, condition, rawGroupBy) + " UNION ALL SELECT " + rawColumns
                + " FROM llm_call_user_rollup_queue WHERE" + QUEUED + tail(condition, rawGroupBy);
    }

    /** What every raw part ends with: the model filters, {@code condition}, and the grouping when there is one. */
    private static String tail(String condition, String rawGroupBy) {
        return MODEL_FILTERS + condition + (rawGroupBy == null ? "" : " GROUP BY " + rawGroupBy);
    }

    /**
     * The rollups have no session or response-model dimension and no per-status split; the user dimension only in the
     * user rollups.
     */
    public static boolean rollupAnswers(Filters f) {
        return f.user() == null && f.session() == null && f.status() == null && f.responseModel() == null;
    }

    private static Object utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
