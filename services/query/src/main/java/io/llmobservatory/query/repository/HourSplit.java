package io.llmobservatory.query.repository;

import io.llmobservatory.query.service.Filters;
import io.llmobservatory.query.service.TimeRange;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * How a window [from, to) is answered from the hourly rollup: the whole hours [hoursFrom, hoursTo) from
 * {@code llm_calls_model_1h}, the edges [from, hoursFrom) and [hoursTo, to) from raw {@code llm_calls} rows. A window
 * holding no whole hour is all edge (hoursFrom = hoursTo = to), so the answer is exact for any window.
 */
public record HourSplit(Instant from, Instant hoursFrom, Instant hoursTo, Instant to) {

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

    /** The model rollup has no user or session dimension and no per-status costs: those filters need raw rows. */
    public static boolean rollupAnswers(Filters f) {
        return f.user() == null && f.session() == null && f.status() == null;
    }
}
