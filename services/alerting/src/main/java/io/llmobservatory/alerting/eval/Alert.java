package io.llmobservatory.alerting.eval;

import java.time.Instant;
import java.util.Map;

/**
 * One alert: a rule's condition holding for one label set. Pending until it has held for the rule's {@code for},
 * then firing until it no longer holds (resolved). {@code labels} include {@code alertname}.
 */
public record Alert(String rule, Map<String, String> labels, Map<String, String> annotations, State state,
                    Instant activeAt, Instant firedAt, double value) {
    public enum State { PENDING, FIRING }
}
