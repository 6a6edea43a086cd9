package io.llmobservatory.alerting.eval;

import java.time.Instant;
import java.util.Map;

/** An entry of the alert history: {@code from} → {@code to} among inactive, pending, firing, resolved. */
public record Transition(Instant at, String rule, Map<String, String> labels, String from, String to, double value) {
}
