package io.llmobservatory.query.repository;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class HourSplitTest {

    @ParameterizedTest(name = "[{0}, {1}) -> hours [{2}, {3})")
    @CsvSource({
            // window                                      whole hours from the rollup
            "2026-11-27T10:20:00Z, 2026-11-27T14:05:00Z, 2026-11-27T11:00:00Z, 2026-11-27T14:00:00Z",
            "2026-11-27T10:00:00Z, 2026-11-27T14:00:00Z, 2026-11-27T10:00:00Z, 2026-11-27T14:00:00Z",
            "2026-11-27T10:00:00Z, 2026-11-27T11:00:00Z, 2026-11-27T10:00:00Z, 2026-11-27T11:00:00Z",
            // no whole hour inside: all raw, the rollup range is empty at 'to'
            "2026-11-27T10:20:00Z, 2026-11-27T11:10:00Z, 2026-11-27T11:10:00Z, 2026-11-27T11:10:00Z",
            "2026-11-27T10:20:00Z, 2026-11-27T10:50:00Z, 2026-11-27T10:50:00Z, 2026-11-27T10:50:00Z",
            "2026-11-27T10:59:59.999Z, 2026-11-27T12:00:00.001Z, 2026-11-27T11:00:00Z, 2026-11-27T12:00:00Z",
    })
    void splitsAWindowIntoWholeHoursAndRawEdges(Instant from, Instant to, Instant hoursFrom, Instant hoursTo) {
        HourSplit split = HourSplit.of(from, to);
        assertThat(split).isEqualTo(new HourSplit(from, hoursFrom, hoursTo, to));
    }
}
