package io.llmobservatory.query.model;

import java.util.Map;

/** A stored log record; {@code body} is its JSON form (a string, number, object or array). */
public record LogView(String time, long timeUnixNano, int severityNumber, String severityText, Object body,
                      Map<String, Object> attributes, String traceId, String spanId, String eventName,
                      String serviceName, Map<String, Object> resource) {
}
