package io.llmobservatory.sdk.agent;

import io.llmobservatory.sdk.LlmInstrumentation;
import io.llmobservatory.sdk.LlmMessage;
import io.llmobservatory.sdk.LlmObservatory;
import io.llmobservatory.sdk.LlmRequest;
import io.llmobservatory.sdk.LlmResponse;
import io.llmobservatory.sdk.context.EndUser;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

import java.util.List;

/**
 * An application run under the Java agent by {@link AgentExtensionIT}: no {@code install()}, the SDK's API only. One
 * ordinary request and one whose LLM call fails, both for the user alice.
 */
public final class AgentApp {
    public static void main(String[] args) {
        LlmInstrumentation llm = LlmObservatory.instrumentation();
        Tracer tracer = GlobalOpenTelemetry.getTracer("agent-app");
        request(tracer, "GET /ordinary", () -> llm.call(LlmRequest.chat("openai", "ordinary-model").build(),
                () -> "ok", r -> LlmResponse.builder().inputTokens(5L).outputTokens(1L).build()));
        request(tracer, "GET /failing", () -> {
            try {
                llm.call(LlmRequest.chat("openai", "failing-model")
                        .messages(List.of(LlmMessage.user("mail me at alice@example.com"))).build(), () -> {
                    throw new IllegalStateException("provider down");
                }, r -> LlmResponse.builder().build());
            } catch (IllegalStateException expected) {
                // recorded on the span
            }
        });
        System.out.println("agent-app done");
    }

    private static void request(Tracer tracer, String name, Runnable body) {
        Span root = tracer.spanBuilder(name).startSpan();
        try (Scope ignored = root.makeCurrent(); Scope user = EndUser.set("alice", "s-agent")) {
            body.run();
        } finally {
            root.end();
        }
    }
}
