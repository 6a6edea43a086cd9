package io.llmobservatory.sdk;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import java.util.concurrent.atomic.AtomicBoolean;

import static io.llmobservatory.sdk.GenAiAttributes.*;

/**
 * One LLM call in flight. Ends exactly once: with {@link #end} (the response), {@link #fail} (an error), or
 * {@link #close} (neither known, e.g. a stream abandoned); later calls are ignored. Thread-safe.
 */
public final class LlmSpan implements AutoCloseable {
    private final LlmInstrumentation owner;
    private final Span span;
    private final LlmRequest request;
    private final long startNanos;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile long firstChunkNanos;

    LlmSpan(LlmInstrumentation owner, Span span, LlmRequest request, long startNanos) {
        this.owner = owner;
        this.span = span;
        this.request = request;
        this.startNanos = startNanos;
    }

    /** The OpenTelemetry span, for attributes of the application's own. */
    public Span span() {
        return span;
    }

    /** Makes the span current (so spans of e.g. the HTTP client nest under it); close the scope on the same thread. */
    public Scope makeCurrent() {
        return span.makeCurrent();
    }

    public Context context() {
        return Context.current().with(span);
    }

    /** A streamed chunk arrived: the first one fixes the time to first chunk. */
    public void chunk() {
        if (firstChunkNanos == 0) {
            long now = System.nanoTime();
            synchronized (this) {
                if (firstChunkNanos == 0) {
                    firstChunkNanos = now == 0 ? 1 : now;
                }
            }
        }
    }

    public boolean isEnded() {
        return ended.get();
    }

    /** Ends the call with what the provider answered; {@code response} may be null when nothing could be read. */
    public void end(LlmResponse response) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        long now = System.nanoTime();
        String responseModel = null;
        if (response != null) {
            responseModel = response.model;
            set(RESPONSE_ID, response.id);
            set(RESPONSE_MODEL, response.model);
            set(RESPONSE_FINISH_REASONS, response.finishReasons);
            set(USAGE_INPUT_TOKENS, response.inputTokens);
            set(USAGE_OUTPUT_TOKENS, response.outputTokens);
            set(USAGE_CACHE_READ_INPUT_TOKENS, response.cacheReadInputTokens);
            set(USAGE_CACHE_CREATION_INPUT_TOKENS, response.cacheCreationInputTokens);
            set(USAGE_REASONING_OUTPUT_TOKENS, response.reasoningOutputTokens);
            if (owner.options.captureContent() && !response.messages.isEmpty()) {
                span.setAttribute(OUTPUT_MESSAGES, LlmInstrumentation.messagesJson(response.messages, owner.options.scrubber()));
            }
        }
        recordStreamTimes(now, response == null ? null : response.outputTokens);
        Attributes[] metric = owner.metricAttributeSets(request, responseModel, null);
        owner.duration.record((now - startNanos) / 1e9, metric[0]);
        if (response != null) {
            recordTokens(response.inputTokens, metric[1]);
            recordTokens(response.outputTokens, metric[2]);
        }
        span.end();
    }

    /** Ends the call as failed: {@code error.type} is the HTTP status or exception class ({@link ErrorTypes}). */
    public void fail(Throwable error) {
        fail(ErrorTypes.of(error), error);
    }

    public void fail(String errorType, Throwable error) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        span.setAttribute(ERROR_TYPE, errorType);
        span.setStatus(StatusCode.ERROR, error == null || error.getMessage() == null ? errorType : error.getMessage());
        if (error != null) {
            span.recordException(error);
        }
        owner.duration.record((System.nanoTime() - startNanos) / 1e9,
                owner.metricAttributeSets(request, null, errorType)[0]);
        span.end();
    }

    /** Ends the span if nothing else did, with no response (an abandoned stream). */
    @Override
    public void close() {
        end(null);
    }

    private void recordStreamTimes(long now, Long outputTokens) {
        long first = firstChunkNanos;
        if (first == 0) {
            return;
        }
        double ttft = (first - startNanos) / 1e9;
        span.setAttribute(RESPONSE_TIME_TO_FIRST_CHUNK, ttft);
        double generating = (now - first) / 1e9;
        if (outputTokens != null && outputTokens > 0 && generating > 0) {
            span.setAttribute(TOKENS_PER_SECOND, outputTokens / generating);
        }
    }

    private void recordTokens(Long count, Attributes metric) {
        if (count != null) {
            owner.tokens.record(count, metric);
        }
    }

    private <T> void set(AttributeKey<T> key, T value) {
        if (value != null) {
            span.setAttribute(key, value);
        }
    }
}
