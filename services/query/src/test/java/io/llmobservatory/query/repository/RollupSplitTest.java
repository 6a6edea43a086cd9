package io.llmobservatory.query.repository;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RollupSplitTest {

    @ParameterizedTest(name = "[{0}, {1}) days={2} -> hours from {3}, days [{4}, {5}), hours to {6}")
    @CsvSource({
            // window                                        days   hoursFrom             daysFrom              daysTo                hoursTo
            "2026-11-27T10:20:00Z, 2026-11-27T14:05:00Z,     true,  2026-11-27T11:00:00Z, 2026-11-27T14:00:00Z, 2026-11-27T14:00:00Z, 2026-11-27T14:00:00Z",
            "2026-11-27T10:00:00Z, 2026-11-27T14:00:00Z,     true,  2026-11-27T10:00:00Z, 2026-11-27T14:00:00Z, 2026-11-27T14:00:00Z, 2026-11-27T14:00:00Z",
            "2026-11-27T10:00:00Z, 2026-11-27T11:00:00Z,     true,  2026-11-27T10:00:00Z, 2026-11-27T11:00:00Z, 2026-11-27T11:00:00Z, 2026-11-27T11:00:00Z",
            // no whole hour inside: all raw, the rollup ranges are empty at 'to'
            "2026-11-27T10:20:00Z, 2026-11-27T11:10:00Z,     true,  2026-11-27T11:10:00Z, 2026-11-27T11:10:00Z, 2026-11-27T11:10:00Z, 2026-11-27T11:10:00Z",
            "2026-11-27T10:20:00Z, 2026-11-27T10:50:00Z,     true,  2026-11-27T10:50:00Z, 2026-11-27T10:50:00Z, 2026-11-27T10:50:00Z, 2026-11-27T10:50:00Z",
            "2026-11-27T10:59:59.999Z, 2026-11-27T12:00:00.001Z, true, 2026-11-27T11:00:00Z, 2026-11-27T12:00:00Z, 2026-11-27T12:00:00Z, 2026-11-27T12:00:00Z",
            // 30 days: whole days inside, whole hours around them, raw minutes at the ends
            "2026-10-28T19:07:00Z, 2026-11-27T19:07:00Z,     true,  2026-10-28T20:00:00Z, 2026-10-29T00:00:00Z, 2026-11-27T00:00:00Z, 2026-11-27T19:00:00Z",
            "2026-10-28T19:07:00Z, 2026-11-27T19:07:00Z,     false, 2026-10-28T20:00:00Z, 2026-11-27T19:00:00Z, 2026-11-27T19:00:00Z, 2026-11-27T19:00:00Z",
            "2026-11-01T00:00:00Z, 2026-11-03T00:00:00Z,     true,  2026-11-01T00:00:00Z, 2026-11-01T00:00:00Z, 2026-11-03T00:00:00Z, 2026-11-03T00:00:00Z",
            // whole hours but no whole day
            "2026-11-26T22:30:00Z, 2026-11-27T03:30:00Z,     true,  2026-11-26T23:00:00Z, 2026-11-27T03:00:00Z, 2026-11-27T03:00:00Z, 2026-11-27T03:00:00Z",
    })
    void splitsAWindowIntoWholeDaysWholeHoursAndRawEdges(Instant from, Instant to, boolean days, Instant hoursFrom,
                                                         Instant daysFrom, Instant daysTo, Instant hoursTo) {
        assertThat(RollupSplit.of(from, to, days)).isEqualTo(new RollupSplit(from, hoursFrom, daysFrom, daysTo, hoursTo, to));
    }
}
