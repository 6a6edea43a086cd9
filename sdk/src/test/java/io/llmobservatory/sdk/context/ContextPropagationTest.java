package io.llmobservatory.sdk.context;

import io.llmobservatory.sdk.GenAiAttributes;
import io.llmobservatory.sdk.LlmOptions;
import io.llmobservatory.sdk.LlmRequest;
import io.llmobservatory.sdk.LlmResponse;
import io.llmobservatory.sdk.Recording;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The trace and the end user follow work onto other threads, and onto every span. */
class ContextPropagationTest {
    private final Recording recording = new Recording();
    private final Tracer tracer = recording.otel.getTracer("app");
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        pool.shutdownNow();
        recording.close();
    }

    private String llmCall() {
        return recording.llm(LlmOptions.defaults()).call(LlmRequest.chat("openai", "gpt-4o").build(), () -> "ok",
                r -> LlmResponse.builder().build());
    }

    private SpanData llmSpan() {
        return recording.finished().stream().filter(s -> s.getName().equals("chat gpt-4o")).findFirst().orElseThrow();
    }

    @Test
    void wrappedExecutorAndFutureChainCarryTraceAndUser() throws Exception {
        Span request = tracer.spanBuilder("POST /chat").startSpan();
        try (Scope ignored = request.makeCurrent(); Scope user = EndUser.set("alice", "s-1")) {
            ContextPropagation.supplyAsync(() -> "q", pool)
                    .thenApplyAsync(ContextPropagation.inCurrent(q -> llmCall()), pool)
                    .get(10, TimeUnit.SECONDS);
        } finally {
            request.end();
        }
        SpanData llm = llmSpan();
        assertThat(llm.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
        assertThat(llm.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        assertThat(llm.getAttributes().get(GenAiAttributes.USER_ID)).isEqualTo("alice");
        assertThat(llm.getAttributes().get(GenAiAttributes.SESSION_ID)).isEqualTo("s-1");
    }

    @Test
    void wrappedExecutorCarriesTraceAndUser() throws Exception {
        Span request = tracer.spanBuilder("POST /chat").startSpan();
        try (Scope ignored = request.makeCurrent(); Scope user = EndUser.set("carol", null)) {
            ContextPropagation.wrap(pool).submit(this::llmCall).get(10, TimeUnit.SECONDS);
        } finally {
            request.end();
        }
        assertThat(llmSpan().getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        assertThat(llmSpan().getAttributes().get(GenAiAttributes.USER_ID)).isEqualTo("carol");
    }

    @Test
    void threadFactoryThreadsContinueTheTraceThatStartedThem() throws Exception {
        Span request = tracer.spanBuilder("POST /chat").startSpan();
        Thread t;
        try (Scope ignored = request.makeCurrent(); Scope user = EndUser.set("bob", null)) {
            t = ContextPropagation.threadFactory(Thread::new).newThread(this::llmCall);
        } finally {
            request.end();
        }
        t.start();
        t.join(10_000);
        SpanData llm = llmSpan();
        assertThat(llm.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
        assertThat(llm.getAttributes().get(GenAiAttributes.USER_ID)).isEqualTo("bob");
        assertThat(llm.getAttributes().get(GenAiAttributes.SESSION_ID)).isNull();
    }

    @Test
    void unwrappedPoolsLoseTheTrace() throws Exception {
        Span request = tracer.spanBuilder("POST /chat").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            CompletableFuture.supplyAsync(this::llmCall, pool).get(10, TimeUnit.SECONDS);
        } finally {
            request.end();
        }
        assertThat(llmSpan().getTraceId()).isNotEqualTo(request.getSpanContext().getTraceId());
    }

    @Test
    void anAttributeTheSpanSetsItselfIsNotOverwritten() {
        try (Scope user = EndUser.set("alice", null)) {
            tracer.spanBuilder("x").setAttribute(GenAiAttributes.USER_ID, "explicit").startSpan().end();
        }
        assertThat(recording.only().getAttributes().get(GenAiAttributes.USER_ID)).isEqualTo("explicit");
    }
}
