package io.llmobservatory.alerting.eval;

import java.time.Instant;
import java.util.Map;

/** An alert as Alertmanager receives it: firing ({@code endsAt} ahead, re-sent before it passes) or resolved. */
public record Notification(String rule, Map<String, String> labels, Map<String, String> annotations, boolean firing,
                           Instant startsAt, Instant endsAt, double value) {
}
