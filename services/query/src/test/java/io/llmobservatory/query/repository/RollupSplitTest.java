package io.llmobservatory.query.repository;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RollupSplitTest {

    @ParameterizedTest(name = "[{0}, {1}) days={2} minutes={3} -> {4} {5} [{6}, {7}) {8} {9}")
    @CsvSource({
            // window                                        days   minutes minutesFrom          hoursFrom             daysFrom              daysTo                hoursTo               minutesTo
            "2026-11-27T10:20:00Z, 2026-11-27T14:05:00Z,     true,  true,  2026-11-27T10:20:00Z, 2026-11-27T11:00:00Z, 2026-11-27T14:00:00Z, 2026-11-27T14:00:00Z, 2026-11-27T14:00:00Z, 2026-11-27T14:05:00Z",
            "2026-11-27T10:20:30Z, 2026-11-27T14:05:10Z,     true,  true,  2026-11-27T10:21:00Z, 2026-11-27T11:00:00Z, 2026-11-27T14:00:00Z, 2026-11-27T14:00:00Z, 2026-11-27T14:00:00Z, 2026-11-27T14:05:00Z",
            "2026-11-27T10:20:30Z, 2026-11-27T14:05:10Z,     true,  false, 2026-11-27T11:00:00Z, 2026-11-27T11:00:00Z, 2026-11-27T14:00:00Z, 2026-11-27T14:00:00Z, 2026-11-27T14:00:00Z, 2026-11-27T14:00:00Z",
            "2026-11-27T10:00:00Z, 2026-11-27T14:00:00Z,     true,  true,  2026-11-27T10:00:00Z, 2026-11-27T10:00:00Z, 2026-11-27T14:00:00Z, 2026-11-27T14:00:00Z, 2026-11-27T14:00:00Z, 2026-11-27T14:00:00Z",
            "2026-11-27T10:00:00Z, 2026-11-27T11:00:00Z,     true,  true,  2026-11-27T10:00:00Z, 2026-11-27T10:00:00Z, 2026-11-27T11:00:00Z, 2026-11-27T11:00:00Z, 2026-11-27T11:00:00Z, 2026-11-27T11:00:00Z",
            // no whole hour inside: whole minutes only (an alert rule's 15 minutes), the hour and day ranges empty
            "2026-11-27T10:20:00Z, 2026-11-27T11:10:00Z,     true,  true,  2026-11-27T10:20:00Z, 2026-11-27T11:10:00Z, 2026-11-27T11:10:00Z, 2026-11-27T11:10:00Z, 2026-11-27T11:10:00Z, 2026-11-27T11:10:00Z",
            "2026-11-27T10:35:12.5Z, 2026-11-27T10:50:12.5Z, true,  true,  2026-11-27T10:36:00Z, 2026-11-27T10:50:00Z, 2026-11-27T10:50:00Z, 2026-11-27T10:50:00Z, 2026-11-27T10:50:00Z, 2026-11-27T10:50:00Z",
            // without minutes, or without a whole minute: all raw, every rollup range empty at 'to'
            "2026-11-27T10:20:00Z, 2026-11-27T11:10:00Z,     true,  false, 2026-11-27T11:10:00Z, 2026-11-27T11:10:00Z, 2026-11-27T11:10:00Z, 2026-11-27T11:10:00Z, 2026-11-27T11:10:00Z, 2026-11-27T11:10:00Z",
            "2026-11-27T10:20:10Z, 2026-11-27T10:20:50Z,     true,  true,  2026-11-27T10:20:50Z, 2026-11-27T10:20:50Z, 2026-11-27T10:20:50Z, 2026-11-27T10:20:50Z, 2026-11-27T10:20:50Z, 2026-11-27T10:20:50Z",
            "2026-11-27T10:20:10Z, 2026-11-27T10:21:50Z,     true,  true,  2026-11-27T10:21:50Z, 2026-11-27T10:21:50Z, 2026-11-27T10:21:50Z, 2026-11-27T10:21:50Z, 2026-11-27T10:21:50Z, 2026-11-27T10:21:50Z",
            "2026-11-27T10:59:59.999Z, 2026-11-27T12:00:00.001Z, true, true, 2026-11-27T11:00:00Z, 2026-11-27T11:00:00Z, 2026-11-27T12:00:00Z, 2026-11-27T12:00:00Z, 2026-11-27T12:00:00Z, 2026-11-27T12:00:00Z",
            // 30 days: whole days inside, whole hours around them, whole minutes around those, raw seconds at the ends
            "2026-10-28T19:07:30Z, 2026-11-27T19:07:30Z,     true,  true,  2026-10-28T19:08:00Z, 2026-10-28T20:00:00Z, 2026-10-29T00:00:00Z, 2026-11-27T00:00:00Z, 2026-11-27T19:00:00Z, 2026-11-27T19:07:00Z",
            "2026-10-28T19:07:30Z, 2026-11-27T19:07:30Z,     false, true,  2026-10-28T19:08:00Z, 2026-10-28T20:00:00Z, 2026-11-27T19:00:00Z, 2026-11-27T19:00:00Z, 2026-11-27T19:00:00Z, 2026-11-27T19:07:00Z",
            "2026-10-28T19:07:30Z, 2026-11-27T19:07:30Z,     true,  false, 2026-10-28T20:00:00Z, 2026-10-28T20:00:00Z, 2026-10-29T00:00:00Z, 2026-11-27T00:00:00Z, 2026-11-27T19:00:00Z, 2026-11-27T19:00:00Z",
            "2026-11-01T00:00:00Z, 2026-11-03T00:00:00Z,     true,  true,  2026-11-01T00:00:00Z, 2026-11-01T00:00:00Z, 2026-11-01T00:00:00Z, 2026-11-03T00:00:00Z, 2026-11-03T00:00:00Z, 2026-11-03T00:00:00Z",
            // whole hours but no whole day
            "2026-11-26T22:30:00Z, 2026-11-27T03:30:00Z,     true,  true,  2026-11-26T22:30:00Z, 2026-11-26T23:00:00Z, 2026-11-27T03:00:00Z, 2026-11-27T03:00:00Z, 2026-11-27T03:00:00Z, 2026-11-27T03:30:00Z",
    })
    void splitsAWindowIntoWholeDaysHoursMinutesAndRawEdges(Instant from, Instant to, boolean days, boolean minutes,
                                                          Instant minutesFrom, Instant hoursFrom, Instant daysFrom,
                                                          Instant daysTo, Instant hoursTo, Instant minutesTo) {
        RollupSplit split = RollupSplit.of(from, to, days, minutes);
        assertThat(split).isEqualTo(new RollupSplit(from, minutesFrom, hoursFrom, daysFrom, daysTo, hoursTo, minutesTo, to));
        // the parts cover [from, to) once: the bounds never go backwards
        assertThat(new Instant[] {split.from(), split.minutesFrom(), split.hoursFrom(), split.daysFrom(), split.daysTo(),
                split.hoursTo(), split.minutesTo(), split.to()}).isSorted();
    }
}
