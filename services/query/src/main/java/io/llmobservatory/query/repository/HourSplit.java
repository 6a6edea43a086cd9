package io.llmobservatory.query.repository;

import io.llmobservatory.query.service.Filters;
import io.llmobservatory.query.service.TimeRange;

import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a window [from, to) is answered from the hourly rollup: the whole hours [hoursFrom, hoursTo) from
 * {@code llm_calls_model_1h}, the edges [from, hoursFrom) and [hoursTo, to) from raw {@code llm_calls} rows. A window
 * holding no whole hour is all edge (hoursFrom = hoursTo = to), so the answer is exact for any window.
 */
public record HourSplit(Instant from, Instant hoursFrom, Instant hoursTo, Instant to) {
    /** Rollup rows of the tenant ($1) in the whole hours [$3, $4). */
    static final String ROLLUP_HOURS = " tenant = $1 AND bucket >= $3 AND bucket < $4 ";
    /** Raw rows of the tenant ($1) at the window's edges [$2, $3) and [$4, $5). */
    static final String RAW_EDGES = " tenant = $1 AND ((time >= $2 AND time < $3) OR (time >= $4 AND time < $5)) ";
    /** The filters the model rollup can answer: model $6, provider $7, service $8. */
    static final String MODEL_FILTERS = """
             AND ($6::text IS NULL OR model = $6) AND ($7::text IS NULL OR provider = $7)
              AND ($8::text IS NULL OR service_name = $8)
            """;

    public static HourSplit of(TimeRange range) {
        return of(range.from(), range.to());
    }

    public static HourSplit of(Instant from, Instant to) {
        Instant floorFrom = from.truncatedTo(ChronoUnit.HOURS);
        Instant hoursFrom = floorFrom.equals(from) ? from : floorFrom.plus(1, ChronoUnit.HOURS);
        Instant hoursTo = to.truncatedTo(ChronoUnit.HOURS);
        if (!hoursFrom.isBefore(hoursTo)) {
            return new HourSplit(from, to, to, to);
        }
        return new HourSplit(from, hoursFrom, hoursTo, to);
    }

    /** The parameters $1-$5 (tenant and this split), then {@code extra} from $6 on. */
    Tuple args(String tenant, Object... extra) {
        List<Object> values = new ArrayList<>(Arrays.asList(tenant, from.atOffset(ZoneOffset.UTC),
                hoursFrom.atOffset(ZoneOffset.UTC), hoursTo.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC)));
        values.addAll(Arrays.asList(extra));
        return Tuple.wrap(values);
    }

    /** The model rollup has no user or session dimension and no per-status costs: those filters need raw rows. */
    public static boolean rollupAnswers(Filters f) {
        return f.user() == null && f.session() == null && f.status() == null;
    }
}
