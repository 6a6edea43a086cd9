package io.llmobservatory.ingest.receiver;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Per-tenant rates and the in-flight byte budget refuse with retryable, counted {@link Throttled} failures. */
class AdmissionTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void aTenantOverItsRateIsToldWhenToRetryAndOtherTenantsAreNotAffected() {
        Admission admission = new Admission(1 << 20, 100, Map.of("big", 1_000_000L), registry);
        // A second's worth passes at once (in several batches), then the bucket is empty.
        admission.checkRate("small", 60);
        admission.checkRate("small", 40);
        Throttled t = catchThrowableOfType(Throttled.class, () -> admission.checkRate("small", 50));
        assertThat(t.rateLimited()).isTrue();
        assertThat(t.retryAfter().toSeconds()).isEqualTo(1);
        assertThat(t.getMessage()).isEqualTo("tenant 'small' is over its rate limit of 100 items/s; retry after 1 s");
        assertThatCode(() -> admission.checkRate("other", 100)).doesNotThrowAnyException();
        // Concurrent clients up to the tenant's rate all pass.
        for (int i = 0; i < 50; i++) {
            admission.checkRate("big", 10_000);
        }
        assertThat(registry.get("observatory.ingest.throttled").tag("reason", "tenant_rate").counter().count())
                .isEqualTo(1);
    }

    @Test
    void zeroMeansUnlimited() {
        Admission admission = new Admission(1 << 20, 0, Map.of(), registry);
        // A batch larger than a second's worth is not refused forever: it takes a full bucket.
        new Admission(1 << 20, 10, Map.of(), registry).checkRate("t", 1000);
        for (int i = 0; i < 100; i++) {
            admission.checkRate("t", 1_000_000);
        }
    }

    @Test
    void theInflightBudgetBoundsHeldBytesAndIsReleased() {
        Admission admission = new Admission(1000, 0, Map.of(), registry);
        admission.reserve(600);
        Throttled t = catchThrowableOfType(Throttled.class, () -> admission.reserve(600));
        assertThat(t.rateLimited()).isFalse();
        assertThat(registry.get("observatory.ingest.inflight.bytes").gauge().value()).isEqualTo(600);
        admission.release(600);
        admission.reserve(600);
        admission.release(600);
        // One request larger than the budget passes alone, so no size can be refused forever.
        admission.reserve(5000);
        assertThat(catchThrowableOfType(Throttled.class, () -> admission.reserve(1))).isNotNull();
        admission.release(5000);
        assertThat(registry.get("observatory.ingest.inflight.bytes").gauge().value()).isZero();
    }
}
