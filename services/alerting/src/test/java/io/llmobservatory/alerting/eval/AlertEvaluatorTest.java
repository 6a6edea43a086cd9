package io.llmobservatory.alerting.eval;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Prometheus alert semantics, driven by a fake clock (the evaluation instants). */
class AlertEvaluatorTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final Map<String, String> SERIES = Map.of("exporter", "enrich", "instance", "ingest:4318");
    private static final AlertEvaluator.RuleSpec RULE = new AlertEvaluator.RuleSpec("HighErrorRate", Duration.ofMinutes(5),
            Map.of("severity", "critical"), Map.of("summary", "{{ $labels.exporter }} fails {{ $value }} spans/s"));

    private final AlertEvaluator evaluator = new AlertEvaluator(Duration.ofMinutes(1));

    private List<Notification> at(int seconds, boolean holds, double value) {
        return evaluator.evaluate(RULE, holds ? Map.of(SERIES, value) : Map.of(), T0.plusSeconds(seconds));
    }

    @Test
    void pendingUntilTheConditionHasHeldForItsDurationThenFiringThenResolved() {
        assertThat(at(0, true, 150)).isEmpty();
        assertThat(evaluator.active()).singleElement().satisfies(a -> {
            assertThat(a.state()).isEqualTo(Alert.State.PENDING);
            assertThat(a.activeAt()).isEqualTo(T0);
        });
        assertThat(at(240, true, 160)).as("4 min: still pending").isEmpty();
        List<Notification> fired = at(300, true, 170);
        assertThat(fired).singleElement().satisfies(n -> {
            assertThat(n.firing()).isTrue();
            assertThat(n.startsAt()).isEqualTo(T0.plusSeconds(300));
            assertThat(n.endsAt()).isEqualTo(T0.plusSeconds(300 + 240));
            assertThat(n.labels()).containsEntry("alertname", "HighErrorRate").containsEntry("severity", "critical")
                    .containsEntry("exporter", "enrich").containsEntry("instance", "ingest:4318");
            assertThat(n.annotations()).containsEntry("summary", "enrich fails 170 spans/s");
        });
        assertThat(evaluator.active()).singleElement().satisfies(a -> assertThat(a.state()).isEqualTo(Alert.State.FIRING));
        assertThat(at(330, true, 170)).as("deduplicated: not re-sent within the resend interval").isEmpty();
        assertThat(at(360, true, 180)).as("re-sent before endsAt passes").singleElement()
                .satisfies(n -> assertThat(n.endsAt()).isEqualTo(T0.plusSeconds(360 + 240)));

        List<Notification> resolved = at(420, false, 0);
        assertThat(resolved).singleElement().satisfies(n -> {
            assertThat(n.firing()).isFalse();
            assertThat(n.endsAt()).isEqualTo(T0.plusSeconds(420));
            assertThat(n.startsAt()).isEqualTo(T0.plusSeconds(300));
        });
        assertThat(evaluator.active()).isEmpty();
        assertThat(at(480, false, 0)).as("resolved once").isEmpty();
        assertThat(evaluator.history(10)).extracting(Transition::to).containsExactly("resolved", "firing", "pending");
    }

    @Test
    void aConditionFlappingFasterThanForNeverFires() {
        for (int minute = 0; minute < 30; minute++) {
            assertThat(at(minute * 60, minute % 4 != 3, 150)).as("minute %d", minute).isEmpty();
        }
        assertThat(evaluator.history(100)).extracting(Transition::to).doesNotContain("firing", "resolved")
                .contains("pending", "inactive");
    }

    @Test
    void zeroForFiresAtOnceAndEachLabelSetIsItsOwnAlert() {
        AlertEvaluator.RuleSpec budget = new AlertEvaluator.RuleSpec("Budget", Duration.ZERO, Map.of(), Map.of());
        Map<String, String> a = Map.of("model", "gpt-4o");
        Map<String, String> b = Map.of("model", "o1");
        assertThat(evaluator.evaluate(budget, Map.of(a, 2.0, b, 3.0), T0)).hasSize(2).allMatch(Notification::firing);
        assertThat(evaluator.evaluate(budget, Map.of(b, 3.0), T0.plusSeconds(15))).singleElement()
                .satisfies(n -> {
                    assertThat(n.firing()).isFalse();
                    assertThat(n.labels()).containsEntry("model", "gpt-4o");
                });
        assertThat(evaluator.active()).singleElement().satisfies(x -> assertThat(x.labels()).containsEntry("model", "o1"));
    }

    @Test
    void removingARuleResolvesItsFiringAlerts() {
        AlertEvaluator.RuleSpec budget = new AlertEvaluator.RuleSpec("Budget", Duration.ZERO, Map.of(), Map.of());
        evaluator.evaluate(budget, Map.of(Map.of(), 5.0), T0);
        assertThat(evaluator.retainRules(Set.of("Other"), T0.plusSeconds(1))).singleElement()
                .satisfies(n -> assertThat(n.firing()).isFalse());
        assertThat(evaluator.active()).isEmpty();
    }

    @Test
    void templatesTakeValueAndLabels() {
        AlertEvaluator.RuleSpec rule = new AlertEvaluator.RuleSpec("R", Duration.ZERO, Map.of(),
                Map.of("a", "{{$value}} / {{ $labels.model }} / {{ $labels.missing }} / {{ .Other }}"));
        assertThat(AlertEvaluator.annotations(rule, Map.of("model", "o1"), 0.123456))
                .containsEntry("a", "0.1235 / o1 /  / {{ .Other }}");
    }
}
