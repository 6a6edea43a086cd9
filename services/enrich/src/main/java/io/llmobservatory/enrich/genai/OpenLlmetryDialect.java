package io.llmobservatory.enrich.genai;

import io.llmobservatory.shared.model.SpanRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static io.llmobservatory.shared.semconv.OpenLlmetryAttributes.*;

/**
 * OpenLLMetry / Traceloop legacy keys: total tokens, request type, association properties (user, session),
 * indexed completion finish reasons, and {@code traceloop.span.kind} for workflow/task/agent/tool wrappers.
 * The {@code gen_ai.*} keys it sends are read by {@link OtelGenAiDialect}.
 */
@ApplicationScoped
public class OpenLlmetryDialect implements GenAiDialect {

    /** Traceloop's span kinds for the spans its decorators wrap around model calls (TraceloopSpanKindValues). */
    private static final java.util.Set<String> WRAPPER_KINDS = java.util.Set.of("workflow", "task", "agent", "tool");

    @Override
    public String name() {
        return "openllmetry";
    }

    @Override
    public int precedence() {
        return 30;
    }

    @Override
    public boolean knows(String key) {
        return key.startsWith("traceloop.") || key.startsWith("llm.usage.") || key.startsWith("llm.request.")
                || key.startsWith("llm.response.") || key.startsWith("llm.is_streaming") || key.startsWith("llm.headers")
                || key.startsWith("llm.user") || key.startsWith("llm.frequency_penalty")
                || key.startsWith("llm.presence_penalty") || key.startsWith("llm.top_k");
    }

    @Override
    public Optional<GenAiFacts> read(SpanRecord span) {
        boolean speaks = span.attributes().hasKeyStartingWith("traceloop.", "llm.usage.")
                || span.attributes().contains(REQUEST_TYPE);
        if (!speaks) {
            return Optional.empty();
        }
        SpanReader r = new SpanReader(span.attributes());
        String spanKind = r.string(SPAN_KIND);
        String requestType = r.string(REQUEST_TYPE);
        String finish = r.string(COMPLETION_0_FINISH_REASON);
        return Optional.of(r.build(GenAiFacts.builder()
                .wrapper(spanKind != null && WRAPPER_KINDS.contains(spanKind.toLowerCase(Locale.ROOT)))
                .operation(operation(requestType))
                .totalTokens(r.count(USAGE_TOTAL_TOKENS))
                .finishReasons(finish == null ? null : List.of(finish))
                .userId(r.string(ASSOCIATION_USER_ID))
                .sessionId(r.string(ASSOCIATION_SESSION_ID, ASSOCIATION_CHAT_ID))));
    }

    /** Traceloop's request types to OpenTelemetry operation names. */
    private static String operation(String requestType) {
        if (requestType == null) {
            return null;
        }
        return switch (requestType.toLowerCase(Locale.ROOT)) {
            case "chat" -> "chat";
            case "completion" -> "text_completion";
            case "embedding" -> "embeddings";
            default -> requestType.toLowerCase(Locale.ROOT);
        };
    }
}
