package io.llmobservatory.query.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeRangeTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2026-11-27T10:00:00Z, 2026-11-27T10:00:00Z",
            "2026-11-27T11:00:00+01:00, 2026-11-27T10:00:00Z",
            "2026-11-27T10:00:00.5Z, 2026-11-27T10:00:00.500Z",
            "24h, 2026-11-26T12:00:00Z",
            "now-24h, 2026-11-26T12:00:00Z",
            "30m, 2026-11-27T11:30:00Z",
            "7d, 2026-11-20T12:00:00Z",
            "1w, 2026-11-20T12:00:00Z",
            "90s, 2026-11-27T11:58:30Z",
            "now, 2026-11-27T12:00:00Z",
            "1795773600, 2026-11-27T10:00:00Z"
    })
    void parsesRfc3339UnixSecondsAndRelativeBounds(String text, Instant expected) {
        assertThat(TimeRange.parseBound("from", text, NOW)).isEqualTo(expected);
    }

    @Test
    void defaultsToTheLastDefaultRange() {
        assertThat(TimeRange.parse(null, null, Duration.ofHours(24), CLOCK))
                .isEqualTo(new TimeRange(NOW.minus(Duration.ofHours(24)), NOW));
        assertThat(TimeRange.parse("", "1h", Duration.ofHours(2), CLOCK))
                .isEqualTo(new TimeRange(NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofHours(1))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "24x", "2026-13-01T00:00:00Z", "2026-11-27 10:00", "-5h"})
    void rejectsWhatItCannotRead(String text) {
        assertThatThrownBy(() -> TimeRange.parse(text, null, Duration.ofHours(24), CLOCK))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("'from' must be an RFC 3339 time")
                .hasMessageContaining(text);
    }

    @Test
    void rejectsAnEmptyOrReversedWindow() {
        assertThatThrownBy(() -> TimeRange.parse("1h", "2h", Duration.ofHours(24), CLOCK))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("must be before");
        assertThatThrownBy(() -> TimeRange.parse("now", "now", Duration.ofHours(24), CLOCK))
                .isInstanceOf(InvalidParameterException.class);
    }
}
