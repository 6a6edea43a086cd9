package io.llmobservatory.alerting.delivery;

import io.llmobservatory.alerting.eval.Notification;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON bodies: Alertmanager API v2 {@code postableAlerts} and the Alertmanager webhook payload, version 4. */
public final class Payloads {
    private Payloads() {
    }

    /** {@code POST /api/v2/alerts}: a list of {labels, annotations, startsAt, endsAt, generatorURL}. */
    public static List<Map<String, Object>> alertmanager(List<Notification> notifications, String generatorUrl) {
        return notifications.stream().map(n -> {
            Map<String, Object> alert = new LinkedHashMap<>();
            alert.put("labels", n.labels());
            alert.put("annotations", n.annotations());
            alert.put("startsAt", n.startsAt().toString());
            alert.put("endsAt", n.endsAt().toString());
            alert.put("generatorURL", generatorUrl);
            return alert;
        }).toList();
    }

    /** One webhook message per rule and status, shaped like Alertmanager's (version 4, grouped by alertname). */
    public static Map<String, Object> webhook(String rule, boolean firing, List<Notification> alerts, String externalUrl) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", "4");
        body.put("groupKey", "{}:{alertname=\"" + rule + "\"}");
        body.put("truncatedAlerts", 0);
        body.put("status", firing ? "firing" : "resolved");
        body.put("receiver", "observatory-alerting");
        body.put("groupLabels", Map.of("alertname", rule));
        body.put("commonLabels", common(alerts.stream().map(Notification::labels).toList()));
        body.put("commonAnnotations", common(alerts.stream().map(Notification::annotations).toList()));
        body.put("externalURL", externalUrl);
        body.put("alerts", alerts.stream().map(n -> {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("status", n.firing() ? "firing" : "resolved");
            a.put("labels", n.labels());
            a.put("annotations", n.annotations());
            a.put("startsAt", n.startsAt().toString());
            a.put("endsAt", n.firing() ? "0001-01-01T00:00:00Z" : n.endsAt().toString());
            a.put("generatorURL", externalUrl);
            a.put("fingerprint", fingerprint(n.labels()));
            return a;
        }).toList());
        return body;
    }

    private static Map<String, String> common(List<Map<String, String>> maps) {
        if (maps.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>(maps.get(0));
        maps.forEach(m -> out.entrySet().removeIf(e -> !e.getValue().equals(m.get(e.getKey()))));
        return new TreeMap<>(out);
    }

    static String fingerprint(Map<String, String> labels) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(labels).forEach((k, v) -> sha.update((k + "\u0000" + v + "\u0000").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
