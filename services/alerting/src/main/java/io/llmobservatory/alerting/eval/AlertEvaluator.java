package io.llmobservatory.alerting.eval;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The state machine with Prometheus' semantics, for every rule kind: each evaluation says which label sets of a
 * rule currently meet its condition (with their values); a new one is pending, becomes firing once it has held for
 * the rule's {@code for} (immediately when {@code for} is zero), and is resolved when it no longer holds — a pending
 * one just disappears, so a condition flapping faster than {@code for} never fires. Firing alerts are re-sent every
 * {@code resendInterval} with {@code endsAt} four intervals ahead (as Prometheus does), resolved ones once with
 * {@code endsAt} = the resolve time. One alert per rule and label set: deduplicated by construction. Time comes from
 * the caller, so tests drive it with a fake clock. Thread-safe.
 */
public final class AlertEvaluator {
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*\\$(value|labels\\.([a-zA-Z_][a-zA-Z0-9_]*))\\s*}}");
    private static final int HISTORY = 1000;

    /** The definition parts the evaluator needs: the rule's name, {@code for}, labels and annotation templates. */
    public record RuleSpec(String name, Duration forDuration, Map<String, String> labels, Map<String, String> annotations) {
    }

    private final Duration resendInterval;
    private final Map<String, Map<Map<String, String>, Tracked>> alerts = new TreeMap<>();
    private final Deque<Transition> history = new ArrayDeque<>();

    private static final class Tracked {
        Alert alert;
        Instant lastSent;
    }

    public AlertEvaluator(Duration resendInterval) {
        this.resendInterval = resendInterval;
    }

    /**
     * One evaluation of a rule at {@code now}: {@code active} maps each label set meeting the condition (series
     * labels, without alertname or the rule's labels) to its value. Returns what must be sent.
     */
    public synchronized List<Notification> evaluate(RuleSpec rule, Map<Map<String, String>, Double> active, Instant now) {
        Map<Map<String, String>, Tracked> current = alerts.computeIfAbsent(rule.name(), k -> new HashMap<>());
        List<Notification> out = new ArrayList<>();
        for (Map.Entry<Map<String, String>, Double> e : active.entrySet()) {
            Map<String, String> labels = labels(rule, e.getKey());
            double value = e.getValue();
            Tracked t = current.get(labels);
            if (t == null) {
                t = new Tracked();
                t.alert = new Alert(rule.name(), labels, annotations(rule, labels, value), Alert.State.PENDING, now, null, value);
                current.put(labels, t);
                record(now, t.alert, "inactive", "pending");
            } else {
                Alert a = t.alert;
                t.alert = new Alert(a.rule(), labels, annotations(rule, labels, value), a.state(), a.activeAt(), a.firedAt(), value);
            }
            Alert a = t.alert;
            if (a.state() == Alert.State.PENDING && !now.isBefore(a.activeAt().plus(rule.forDuration()))) {
                t.alert = new Alert(a.rule(), labels, a.annotations(), Alert.State.FIRING, a.activeAt(), now, value);
                record(now, t.alert, "pending", "firing");
            }
            if (t.alert.state() == Alert.State.FIRING
                    && (t.lastSent == null || !now.isBefore(t.lastSent.plus(resendInterval)))) {
                t.lastSent = now;
                out.add(new Notification(rule.name(), labels, t.alert.annotations(), true, t.alert.firedAt(),
                        now.plus(resendInterval.multipliedBy(4)), value));
            }
        }
        Set<Map<String, String>> stillActive = new java.util.HashSet<>();
        active.keySet().forEach(k -> stillActive.add(labels(rule, k)));
        resolve(current, stillActive, now, out);
        return out;
    }

    /** Resolves every alert of the rules not in {@code ruleNames} (rules removed or replaced). */
    public synchronized List<Notification> retainRules(Set<String> ruleNames, Instant now) {
        List<Notification> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, Map<Map<String, String>, Tracked>>> it = alerts.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Map<Map<String, String>, Tracked>> e = it.next();
            if (!ruleNames.contains(e.getKey())) {
                resolve(e.getValue(), Set.of(), now, out);
                it.remove();
            }
        }
        return out;
    }

    private void resolve(Map<Map<String, String>, Tracked> current, Set<Map<String, String>> stillActive, Instant now,
                         List<Notification> out) {
        for (Iterator<Map.Entry<Map<String, String>, Tracked>> it = current.entrySet().iterator(); it.hasNext(); ) {
            Tracked t = it.next().getValue();
            if (stillActive.contains(t.alert.labels())) {
                continue;
            }
            it.remove();
            if (t.alert.state() == Alert.State.FIRING) {
                record(now, t.alert, "firing", "resolved");
                out.add(new Notification(t.alert.rule(), t.alert.labels(), t.alert.annotations(), false,
                        t.alert.firedAt(), now, t.alert.value()));
            } else {
                record(now, t.alert, "pending", "inactive");
            }
        }
    }

    /** Pending and firing alerts, by rule and labels. */
    public synchronized List<Alert> active() {
        List<Alert> out = new ArrayList<>();
        alerts.values().forEach(m -> m.values().forEach(t -> out.add(t.alert)));
        out.sort(Comparator.comparing(Alert::rule).thenComparing(a -> a.labels().toString()));
        return out;
    }

    /** The newest {@code limit} transitions, newest first. */
    public synchronized List<Transition> history(int limit) {
        return history.stream().limit(limit).toList();
    }

    private void record(Instant at, Alert alert, String from, String to) {
        history.addFirst(new Transition(at, alert.rule(), alert.labels(), from, to, alert.value()));
        while (history.size() > HISTORY) {
            history.removeLast();
        }
    }

    private static Map<String, String> labels(RuleSpec rule, Map<String, String> series) {
        Map<String, String> out = new TreeMap<>(series);
        out.putAll(rule.labels());
        out.put("alertname", rule.name());
        return Map.copyOf(out);
    }

    /** Annotation templates: {@code {{ $value }}} and {@code {{ $labels.name }}}, as in Prometheus rules. */
    static Map<String, String> annotations(RuleSpec rule, Map<String, String> labels, double value) {
        Map<String, String> out = new TreeMap<>();
        rule.annotations().forEach((k, template) -> {
            Matcher m = TEMPLATE.matcher(template);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String replacement = m.group(2) == null ? format(value) : labels.getOrDefault(m.group(2), "");
                m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(sb);
            out.put(k, sb.toString());
        });
        return Map.copyOf(out);
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return String.format(java.util.Locale.ROOT, "%.4g", v);
    }
}
