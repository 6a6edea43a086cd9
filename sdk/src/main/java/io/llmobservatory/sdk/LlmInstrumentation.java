package io.llmobservatory.sdk;

import io.llmobservatory.sdk.internal.Json;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import static io.llmobservatory.sdk.GenAiAttributes.*;

/**
 * Wraps LLM calls in CLIENT spans named {@code {operation} {model}} with the GenAI semantic conventions, and records
 * the conventions' client metrics ({@code gen_ai.client.operation.duration}, {@code gen_ai.client.token.usage}).
 * One per application; thread-safe.
 */
public final class LlmInstrumentation {
    /** The instrumentation scope of every span and metric the SDK records. */
    public static final String SCOPE = "io.llmobservatory.sdk";
    private static final List<Double> DURATION_BUCKETS = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28,
            2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
    private static final List<Long> TOKEN_BUCKETS = List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L,
            262144L, 1048576L, 4194304L, 16777216L, 67108864L);

    final Tracer tracer;
    final LlmOptions options;
    final DoubleHistogram duration;
    final LongHistogram tokens;

    private LlmInstrumentation(OpenTelemetry otel, LlmOptions options) {
        this.tracer = otel.getTracer(SCOPE);
        this.options = Objects.requireNonNull(options, "options");
        Meter meter = otel.getMeter(SCOPE);
        this.duration = meter.histogramBuilder("gen_ai.client.operation.duration").setUnit("s")
                .setDescription("GenAI operation duration").setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
        this.tokens = meter.histogramBuilder("gen_ai.client.token.usage").ofLongs().setUnit("{token}")
                .setDescription("Number of input and output tokens used").setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS)
                .build();
    }

    public static LlmInstrumentation create(OpenTelemetry otel, LlmOptions options) {
        return new LlmInstrumentation(Objects.requireNonNull(otel, "otel"), options);
    }

    /** Starts the call's span as a child of the current context. End it with {@link LlmSpan#end} or {@link LlmSpan#fail}. */
    public LlmSpan start(LlmRequest request) {
        return start(request, Context.current());
    }

    public LlmSpan start(LlmRequest request, Context parent) {
        SpanBuilder b = tracer.spanBuilder(request.operation + " " + request.model).setSpanKind(SpanKind.CLIENT)
                .setParent(parent)
                .setAttribute(OPERATION_NAME, request.operation)
                .setAttribute(PROVIDER_NAME, request.provider)
                .setAttribute(REQUEST_MODEL, request.model);
        set(b, REQUEST_TEMPERATURE, request.temperature);
        set(b, REQUEST_TOP_P, request.topP);
        set(b, REQUEST_TOP_K, request.topK);
        set(b, REQUEST_MAX_TOKENS, request.maxTokens);
        set(b, REQUEST_FREQUENCY_PENALTY, request.frequencyPenalty);
        set(b, REQUEST_PRESENCE_PENALTY, request.presencePenalty);
        set(b, REQUEST_STOP_SEQUENCES, request.stopSequences);
        set(b, REQUEST_SEED, request.seed);
        set(b, REQUEST_CHOICE_COUNT, request.choiceCount);
        set(b, CONVERSATION_ID, request.conversationId);
        set(b, SERVER_ADDRESS, request.serverAddress);
        set(b, SERVER_PORT, request.serverPort);
        if (!request.messages.isEmpty()) {
            if (options.hasher() != null) {
                b.setAttribute(PROMPT_HASH, options.hasher().hash(messagesJson(request.messages, null)));
            }
            if (options.captureContent()) {
                b.setAttribute(INPUT_MESSAGES, messagesJson(request.messages, options.scrubber()));
            }
        }
        long startNanos = System.nanoTime();
        Span span = b.startSpan();
        return new LlmSpan(this, span, request, startNanos);
    }

    /** A call that throws {@code E}. */
    @FunctionalInterface
    public interface LlmCall<T, E extends Exception> {
        T call() throws E;
    }

    /**
     * Runs {@code call} inside the span (current while it runs), describes its result with {@code describe}, and
     * ends the span; a failure is recorded ({@code error.type}) and rethrown as it was.
     */
    public <T, E extends Exception> T call(LlmRequest request, LlmCall<T, E> call,
                                           Function<? super T, LlmResponse> describe) throws E {
        LlmSpan span = start(request);
        T result;
        try (var ignored = span.makeCurrent()) {
            result = call.call();
        } catch (Throwable t) {
            span.fail(t);
            throw t;
        }
        LlmResponse response;
        try {
            response = describe.apply(result);
        } catch (RuntimeException e) {
            response = null; // never fail the application's call because its answer could not be described
        }
        span.end(response);
        return result;
    }

    /** Conventions' message JSON: {@code [{"role":..,"parts":[{"type":"text","content":..}],"finish_reason":..}]}. */
    static String messagesJson(List<LlmMessage> messages, io.llmobservatory.sdk.pii.PiiScrubber scrubber) {
        StringBuilder out = new StringBuilder(64 + messages.size() * 64).append('[');
        for (int i = 0; i < messages.size(); i++) {
            LlmMessage m = messages.get(i);
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"role\":");
            Json.quote(out, m.role());
            out.append(",\"parts\":[{\"type\":\"text\",\"content\":");
            Json.quote(out, scrubber == null ? m.content() : scrubber.scrub(m.content()));
            out.append("}]");
            if (m.finishReason() != null) {
                out.append(",\"finish_reason\":");
                Json.quote(out, m.finishReason());
            }
            out.append('}');
        }
        return out.append(']').toString();
    }

    private static final int METRIC_ATTRIBUTE_CACHE = 1024;
    /** Per (operation, provider, models, server, error): the duration, input-token and output-token attribute sets. */
    private final java.util.concurrent.ConcurrentHashMap<MetricKey, Attributes[]> metricAttributes =
            new java.util.concurrent.ConcurrentHashMap<>();

    private record MetricKey(String operation, String provider, String requestModel, String responseModel,
                             String serverAddress, String errorType) {
    }

    /**
     * The metric attribute sets of a finished call: [duration, input tokens, output tokens]. Cached, as they are few
     * (the conventions' low-cardinality set) and building them was a large share of a call's overhead.
     */
    Attributes[] metricAttributeSets(LlmRequest request, String responseModel, String errorType) {
        MetricKey key = new MetricKey(request.operation, request.provider, request.model, responseModel,
                request.serverAddress, errorType);
        Attributes[] sets = metricAttributes.get(key);
        if (sets == null) {
            Attributes base = metricAttributes(request, responseModel, errorType);
            sets = new Attributes[]{base, base.toBuilder().put(TOKEN_TYPE, "input").build(),
                    base.toBuilder().put(TOKEN_TYPE, "output").build()};
            if (metricAttributes.size() < METRIC_ATTRIBUTE_CACHE) {
                metricAttributes.putIfAbsent(key, sets);
            }
        }
        return sets;
    }

    /** The metric attributes of a finished call (the conventions' set: low cardinality only). */
    static Attributes metricAttributes(LlmRequest request, String responseModel, String errorType) {
        AttributesBuilder a = Attributes.builder().put(OPERATION_NAME, request.operation)
                .put(PROVIDER_NAME, request.provider).put(REQUEST_MODEL, request.model);
        if (responseModel != null) {
            a.put(RESPONSE_MODEL, responseModel);
        }
        if (errorType != null) {
            a.put(ERROR_TYPE, errorType);
        }
        if (request.serverAddress != null) {
            a.put(SERVER_ADDRESS, request.serverAddress);
        }
        return a.build();
    }

    private static <T> void set(SpanBuilder b, io.opentelemetry.api.common.AttributeKey<T> key, T value) {
        if (value != null) {
            b.setAttribute(key, value);
        }
    }
}
