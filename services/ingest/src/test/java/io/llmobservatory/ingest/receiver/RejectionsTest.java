package io.llmobservatory.ingest.receiver;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** A client repeating a bad payload is counted every time and logged once per interval and reason. */
class RejectionsTest {
    private static final class SettableClock extends Clock {
        Instant now = Instant.parse("2026-12-07T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void everyRefusalIsCountedButLoggedOncePerIntervalAndReason() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SettableClock clock = new SettableClock();
        Rejections rejections = new Rejections(registry, clock);
        int logged = 0;
        for (int i = 0; i < 1000; i++) {
            logged += rejections.refused("invalid_utf16", "http", "lone surrogate") ? 1 : 0;
        }
        assertThat(logged).isEqualTo(1);
        assertThat(rejections.refused("undecodable", "http", "not protobuf")).as("another reason").isTrue();
        clock.now = clock.now.plus(Rejections.INTERVAL).plus(Duration.ofSeconds(1));
        assertThat(rejections.refused("invalid_utf16", "grpc", "lone surrogate")).as("next interval").isTrue();
        assertThat(rejections.refused("invalid_utf16", "grpc", "lone surrogate")).isFalse();
        assertThat(registry.get("observatory.ingest.rejected.requests").tag("reason", "invalid_utf16")
                .tag("transport", "http").counter().count()).isEqualTo(1000);
    }
}
