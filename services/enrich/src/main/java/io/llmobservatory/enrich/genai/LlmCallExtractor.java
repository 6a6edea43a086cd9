package io.llmobservatory.enrich.genai;

import io.llmobservatory.shared.model.SpanRecord;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Finds the LLM calls among spans: asks every dialect, merges their facts by precedence (for each fact the
 * dialect with the lowest precedence number that reported it wins).
 * Agent and tool spans are not calls: their token counts, when present, aggregate child calls and would
 * count them twice.
 */
@ApplicationScoped
public class LlmCallExtractor {
    static final Set<String> NOT_MODEL_CALLS = Set.of("invoke_agent", "create_agent", "execute_tool");

    private final List<GenAiDialect> dialects;

    public LlmCallExtractor(@All List<GenAiDialect> dialects) {
        this.dialects = dialects.stream().sorted(Comparator.comparingInt(GenAiDialect::precedence)).toList();
    }

    public Optional<LlmCall> extract(SpanRecord span) {
        List<GenAiFacts> found = new ArrayList<>(2);
        String dialect = null;
        for (GenAiDialect d : dialects) {
            Optional<GenAiFacts> facts = d.read(span);
            if (facts.isPresent()) {
                found.add(facts.get());
                if (dialect == null) {
                    dialect = d.name();
                }
            }
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String operation = pick(found, GenAiFacts::operation);
        if (operation != null && NOT_MODEL_CALLS.contains(operation.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        if (found.stream().noneMatch(GenAiFacts::describesModelCall)) {
            return Optional.empty();
        }
        String provider = pick(found, GenAiFacts::provider);
        return Optional.of(new LlmCall(
                span.traceId(),
                span.spanId(),
                span.startTimeUnixNano(),
                span.durationNanos(),
                span.serviceName(),
                provider == null ? null : provider.toLowerCase(Locale.ROOT),
                operation,
                pick(found, GenAiFacts::requestModel),
                pick(found, GenAiFacts::responseModel),
                pick(found, GenAiFacts::inputTokens),
                pick(found, GenAiFacts::outputTokens),
                pick(found, GenAiFacts::cacheReadTokens),
                pick(found, GenAiFacts::cacheWriteTokens),
                pick(found, GenAiFacts::reasoningTokens),
                Optional.ofNullable(pick(found, GenAiFacts::finishReasons)).orElse(List.of()),
                span.statusCode(),
                errorType(span, pick(found, GenAiFacts::errorType)),
                pick(found, GenAiFacts::userId),
                pick(found, GenAiFacts::sessionId),
                dialect));
    }

    private static String errorType(SpanRecord span, String reported) {
        if (reported != null) {
            return reported;
        }
        return span.statusCode() == SpanRecord.STATUS_ERROR ? "_OTHER" : null;
    }

    private static <T> T pick(List<GenAiFacts> facts, Function<GenAiFacts, T> field) {
        for (GenAiFacts f : facts) {
            T v = field.apply(f);
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
