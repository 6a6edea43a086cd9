package io.llmobservatory.e2e;

import java.util.List;
import java.util.stream.Collectors;

/** OTLP/JSON payloads written the way the specification shows them (hex ids, integer enums, string int64). */
final class OtlpJson {
    private OtlpJson() {
    }

    static String request(String service, List<String> spans) {
        return """
                {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"%s"}}]},
                 "scopeSpans":[{"scope":{"name":"json-client","version":"1.0"},"spans":[%s]}],
                 "schemaUrl":"https://opentelemetry.io/schemas/1.26.0"}]}
                """.formatted(service, String.join(",", spans));
    }

    /** A GenAI chat span; {@code extraAttributes} are raw OTLP/JSON KeyValue objects. */
    static String chatSpan(String traceId, String spanId, long startNanos, long durationNanos, String model,
                           long input, long output, String... extraAttributes) {
        String extra = List.of(extraAttributes).stream().map(a -> "," + a).collect(Collectors.joining());
        return """
                {"traceId":"%s","spanId":"%s","name":"chat %s","kind":3,
                 "startTimeUnixNano":"%d","endTimeUnixNano":%d,
                 "attributes":[{"key":"gen_ai.system","value":{"stringValue":"openai"}},
                               {"key":"gen_ai.request.model","value":{"stringValue":"%s"}},
                               {"key":"gen_ai.usage.prompt_tokens","value":{"intValue":"%d"}},
                               {"key":"gen_ai.usage.completion_tokens","value":{"intValue":%d}}%s],
                 "status":{"code":1},"unknownFieldFromTheFuture":{"x":1}}
                """.formatted(traceId, spanId, model, startNanos, startNanos + durationNanos, model, input, output, extra);
    }

    static String span(String traceId, String spanId, String name, long startNanos, long endNanos) {
        return """
                {"traceId":"%s","spanId":"%s","name":"%s","kind":1,"startTimeUnixNano":"%d","endTimeUnixNano":"%d"}
                """.formatted(traceId, spanId, name, startNanos, endNanos);
    }

    static String randomHex(int bytes) {
        StringBuilder sb = new StringBuilder();
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < bytes; i++) {
            sb.append(String.format("%02x", r.nextInt(1, 256)));
        }
        return sb.toString();
    }

    static long nowNanos() {
        java.time.Instant now = java.time.Instant.now().minusSeconds(60);
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
