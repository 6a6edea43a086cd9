package io.llmobservatory.enrich.genai;

import io.llmobservatory.shared.model.SpanRecord;
import io.llmobservatory.shared.semconv.GenAiAttributes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Finds the LLM calls among spans: asks every dialect, merges their facts by the precedence table (for each
 * fact the dialect with the lowest precedence number that reported it wins), then applies the cross-dialect
 * rules: user {@code user.id} › {@code enduser.id} › dialect keys; session {@code gen_ai.conversation.id} ›
 * {@code session.id} › dialect keys; provider inferred from {@code server.address} when none was reported;
 * tokens per second derived from output tokens and generation time.
 * <p>
 * Wrapper spans (agents, workflows, tools, SDK-level spans) are not calls: their token counts, when present,
 * aggregate their children's and would count them twice.
 */
@ApplicationScoped
public class LlmCallExtractor {
    static final Set<String> NOT_MODEL_CALLS = Set.of("invoke_agent", "create_agent", "execute_tool");
    /** Namespaces whose keys on LLM spans should be understood by some dialect. */
    private static final List<String> GENAI_NAMESPACES = List.of("gen_ai.", "llm.", "ai.", "traceloop.", "langfuse.",
            "openinference.");
    private static final Set<String> COMMON_KEYS = Set.of(GenAiAttributes.USER_ID.key(), GenAiAttributes.ENDUSER_ID.key(),
            GenAiAttributes.SESSION_ID.key(), GenAiAttributes.ERROR_TYPE.key(), GenAiAttributes.SERVER_ADDRESS.key());
    private static final Pattern INDEX = Pattern.compile("\\.\\d+(?=\\.|$)");

    private final List<GenAiDialect> dialects;
    private final MeterRegistry registry;

    /** Keys seen on LLM spans and whether they count as unmapped: a profile showed the check on every key of every call. */
    private static final int KEY_CACHE_LIMIT = 4096;
    private final Map<String, Optional<Counter>> unmappedKeys = new ConcurrentHashMap<>();
    private final Map<String, Counter> callsByDialect = new ConcurrentHashMap<>();
    /**
     * Distinct {@code key} tags of {@code observatory_enrich_genai_unmapped_keys}: the keys are the client's, so beyond
     * this many every further key is counted under {@value #OTHER_KEY} instead of adding a series (a meter each, kept
     * for the life of the process) per key a client invents.
     */
    static final int UNMAPPED_KEY_TAGS = 256;
    static final String OTHER_KEY = "_other";
    private final Set<String> unmappedKeyTags = ConcurrentHashMap.newKeySet();

    @Inject
    public LlmCallExtractor(@All List<GenAiDialect> dialects, MeterRegistry registry) {
        this.dialects = dialects.stream().sorted(Comparator.comparingInt(GenAiDialect::precedence)).toList();
        this.registry = registry;
    }

    /** For unit tests: the given dialects, metrics kept in memory. */
    public LlmCallExtractor(List<GenAiDialect> dialects) {
        this(dialects, new SimpleMeterRegistry());
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
        if (found.isEmpty() || found.stream().anyMatch(GenAiFacts::wrapper)) {
            return Optional.empty();
        }
        String operation = pick(found, GenAiFacts::operation);
        if (operation != null && NOT_MODEL_CALLS.contains(operation.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        if (found.stream().noneMatch(GenAiFacts::describesModelCall)) {
            return Optional.empty();
        }
        SpanReader common = new SpanReader(span.attributes());
        String user = Optional.ofNullable(common.string(GenAiAttributes.USER_ID, GenAiAttributes.ENDUSER_ID))
                .orElseGet(() -> pick(found, GenAiFacts::userId));
        String session = Optional.ofNullable(common.string(GenAiAttributes.CONVERSATION_ID, GenAiAttributes.SESSION_ID))
                .orElseGet(() -> pick(found, GenAiFacts::sessionId));
        String provider = ProviderNames.canonical(pick(found, GenAiFacts::provider));
        if (provider == null) {
            provider = ProviderNames.fromServerAddress(common.string(GenAiAttributes.SERVER_ADDRESS));
        }
        String errorType = common.string(GenAiAttributes.ERROR_TYPE);
        if (errorType == null && span.statusCode() == SpanRecord.STATUS_ERROR) {
            errorType = "_OTHER";
        }
        Long input = pick(found, GenAiFacts::inputTokens);
        Long output = pick(found, GenAiFacts::outputTokens);
        Long total = pick(found, GenAiFacts::totalTokens);
        if (total == null && (input != null || output != null)) {
            total = (input == null ? 0 : input) + (output == null ? 0 : output);
        }
        Double ttft = pick(found, GenAiFacts::ttftMs);

        Set<String> keys = new LinkedHashSet<>();
        found.forEach(f -> keys.addAll(f.keys()));
        keys.addAll(common.keysUsed());
        count(dialect, span);
        Set<String> rejected = new LinkedHashSet<>();
        found.forEach(f -> rejected.addAll(f.rejectedKeys()));
        rejected.removeAll(keys); // another dialect read a usable value for it
        for (String key : rejected) {
            Counter.builder("observatory.enrich.genai.normalization.failures")
                    .description("Attributes of LLM spans present with a value no dialect could use (not a number, negative)")
                    .tag("key", INDEX.matcher(key).replaceAll(".N")).register(registry).increment();
        }
        return Optional.of(new LlmCall(
                span.traceId(),
                span.spanId(),
                span.startTimeUnixNano(),
                span.durationNanos(),
                span.serviceName(),
                provider,
                false,
                operation,
                pick(found, GenAiFacts::requestModel),
                pick(found, GenAiFacts::responseModel),
                input,
                output,
                total,
                pick(found, GenAiFacts::cacheReadTokens),
                pick(found, GenAiFacts::cacheWriteTokens),
                pick(found, GenAiFacts::reasoningTokens),
                pick(found, GenAiFacts::inputAudioTokens),
                pick(found, GenAiFacts::outputAudioTokens),
                Optional.ofNullable(pick(found, GenAiFacts::finishReasons)).orElse(List.of()),
                span.statusCode(),
                errorType,
                user,
                session,
                ttft,
                tokensPerSecond(output, span.durationNanos(), ttft),
                pick(found, GenAiFacts::providedCostUsd),
                dialect,
                List.copyOf(keys)));
    }

    /**
     * Output tokens over generation time: the span's duration minus the time to first token when known (the wait
     * before generation starts), else the whole duration.
     */
    static Double tokensPerSecond(Long outputTokens, long durationNanos, Double ttftMs) {
        if (outputTokens == null || outputTokens == 0 || durationNanos <= 0) {
            return null;
        }
        double millis = durationNanos / 1e6;
        if (ttftMs != null && ttftMs < millis) {
            millis -= ttftMs;
        }
        return outputTokens / (millis / 1000.0);
    }

    private void count(String dialect, SpanRecord span) {
        callsByDialect.computeIfAbsent(dialect, d -> Counter.builder("observatory.enrich.genai.calls")
                .description("LLM calls recognised, by primary dialect").tag("dialect", d).register(registry)).increment();
        for (String key : span.attributes().asMap().keySet()) {
            Optional<Counter> unmapped = unmappedKeys.get(key);
            if (unmapped == null) {
                unmapped = unmappedCounter(key);
                if (unmappedKeys.size() < KEY_CACHE_LIMIT) {
                    unmappedKeys.put(key, unmapped);
                }
            }
            unmapped.ifPresent(Counter::increment);
        }
    }

    /** The counter a key of an LLM span adds to when no dialect knows it (the same answer for a key every time). */
    private Optional<Counter> unmappedCounter(String key) {
        if (GENAI_NAMESPACES.stream().anyMatch(key::startsWith) && !COMMON_KEYS.contains(key)
                && dialects.stream().noneMatch(d -> d.knows(key))) {
            String tag = INDEX.matcher(key).replaceAll(".N");
            if (!unmappedKeyTags.contains(tag)) {
                tag = unmappedKeyTags.size() < UNMAPPED_KEY_TAGS && unmappedKeyTags.add(tag) ? tag : OTHER_KEY;
            }
            return Optional.of(Counter.builder("observatory.enrich.genai.unmapped.keys")
                    .description("Attribute keys on LLM spans that no dialect understands (beyond "
                            + UNMAPPED_KEY_TAGS + " keys: key=" + OTHER_KEY + ")")
                    .tag("key", tag).register(registry));
        }
        return Optional.empty();
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
