package io.llmobservatory.loadgen;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Traces shaped like real RAG/agent requests: an HTTP server root span, one or two retrieval spans and one to three
 * LLM calls (each with about 20 attributes in the chosen instrumentation's dialect: OpenTelemetry GenAI, OpenInference
 * or OpenLLMetry), message content with PII in a chosen share of calls, errors and slow calls in chosen shares.
 */
public final class TraceFactory {
    /** How often each dialect, error, slow call and PII appear. */
    public record Mix(double otel, double openInference, double openLlmetry, double errorRatio, double slowRatio,
                      double piiRatio) {
        public static final Mix DEFAULT = new Mix(0.6, 0.2, 0.2, 0.02, 0.05, 0.05);
    }

    /** Prompt and answer text (also used by the JMH benchmarks' spans). */
    public static final List<String> SENTENCES = List.of(
            "Summarise the attached quarterly report and list the three biggest risks.",
            "The customer asked about the refund policy for annual subscriptions bought in the EU.",
            "Context: retrieved 5 documents from the knowledge base with scores 0.82, 0.79, 0.77.",
            "Answer in a friendly tone and keep it under 120 words, citing the sources by number.",
            "Translate the following paragraph into German and keep product names in English.");
    /** One e-mail, phone number, card number and API key, each in a sentence. */
    public static final List<String> PII = List.of(
            "Please email jane.doe@example.com with the answer.",
            "You can reach me on +44 20 7946 0958 after 5pm.",
            "My card 4111 1111 1111 1111 was charged twice.",
            "Use the key sk-proj-abcdefghijklmnopqrstuvwxyz0123456789 for the API.");
    private static final String[][] MODELS = {
            {"openai", "gpt-4o", "gpt-4o-2024-08-06"}, {"openai", "gpt-4o-mini", "gpt-4o-mini-2024-07-18"},
            {"anthropic", "claude-3-5-sonnet-20241022", "claude-3-5-sonnet-20241022"},
            {"anthropic", "claude-3-5-haiku-20241022", "claude-3-5-haiku-20241022"}};

    /**
     * How many spans a trace has: {@code MIXED} one or two retrievals and one to three LLM calls (4.5 spans on average);
     * {@code LLM4} always one retrieval and two LLM calls with shorter prompts, so every trace is 4 spans of ~820 bytes
     * on average (benchmarks/vs-tempo).
     */
    public enum Shape { MIXED, LLM4 }

    private final Mix mix;
    private final Shape shape;
    private final SplittableRandom random;
    private final Resource resource;

    public TraceFactory(Mix mix, long seed) {
        this(mix, seed, Shape.MIXED);
    }

    public TraceFactory(Mix mix, long seed, Shape shape) {
        this.mix = mix;
        this.shape = shape;
        this.random = new SplittableRandom(seed);
        this.resource = Resource.newBuilder().addAttributes(s("service.name", "rag-api"))
                .addAttributes(s("service.version", "1.4.2")).addAttributes(s("deployment.environment.name", "production"))
                .addAttributes(s("telemetry.sdk.language", "python")).addAttributes(s("telemetry.sdk.name", "opentelemetry"))
                .build();
    }

    /** A request with whole traces and at least {@code spans} spans, ending about now. */
    public ExportTraceServiceRequest request(int spans, long nowNanos) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("loadgen").setVersion("1"));
        while (scope.getSpansCount() < spans) {
            trace(scope, nowNanos);
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(resource)
                .addScopeSpans(scope)).build();
    }

    /** The number of LLM-call spans in a request (those with a model attribute in any dialect). */
    public static long llmCalls(ExportTraceServiceRequest request) {
        return request.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream())
                .flatMap(ss -> ss.getSpansList().stream())
                .filter(sp -> sp.getAttributesList().stream().anyMatch(a -> a.getKey().equals("gen_ai.request.model")
                        || a.getKey().equals("llm.model_name")))
                .count();
    }

    private void trace(ScopeSpans.Builder scope, long now) {
        ByteString trace = bytes(16);
        ByteString root = bytes(8);
        boolean slow = random.nextDouble() < mix.slowRatio();
        int retrievals = shape == Shape.LLM4 ? 1 : 1 + random.nextInt(2);
        int calls = shape == Shape.LLM4 ? 2 : 1 + random.nextInt(3);
        long llmNanos = (slow ? 8_000_000_000L : 700_000_000L) + random.nextLong(600_000_000L);
        long total = retrievals * 60_000_000L + calls * llmNanos + 20_000_000L;
        long start = now - total;
        scope.addSpans(Span.newBuilder().setTraceId(trace).setSpanId(root).setName("POST /v1/chat")
                .setKind(Span.SpanKind.SPAN_KIND_SERVER).setStartTimeUnixNano(start).setEndTimeUnixNano(start + total)
                .addAttributes(s("http.request.method", "POST")).addAttributes(s("http.route", "/v1/chat"))
                .addAttributes(n("http.response.status_code", 200)).addAttributes(s("url.scheme", "https"))
                .addAttributes(s("user_agent.original", "python-requests/2.32")));
        long t = start + 10_000_000L;
        for (int i = 0; i < retrievals; i++) {
            scope.addSpans(Span.newBuilder().setTraceId(trace).setSpanId(bytes(8)).setParentSpanId(root)
                    .setName("retrieve documents").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                    .setStartTimeUnixNano(t).setEndTimeUnixNano(t + 55_000_000L)
                    .addAttributes(s("db.system.name", "qdrant")).addAttributes(s("db.operation.name", "search"))
                    .addAttributes(s("db.collection.name", "kb-articles")).addAttributes(n("db.response.returned_rows", 5))
                    .addAttributes(s("server.address", "qdrant.internal")));
            t += 60_000_000L;
        }
        String user = "user-" + random.nextInt(5000);
        String session = "sess-" + random.nextInt(20000);
        for (int i = 0; i < calls; i++) {
            String[] model = MODELS[random.nextInt(MODELS.length)];
            boolean error = random.nextDouble() < mix.errorRatio();
            double d = random.nextDouble() * (mix.otel() + mix.openInference() + mix.openLlmetry());
            Span.Builder span = Span.newBuilder().setTraceId(trace).setSpanId(bytes(8)).setParentSpanId(root)
                    .setName("chat " + model[1]).setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                    .setStartTimeUnixNano(t).setEndTimeUnixNano(t + llmNanos);
            long input = 300 + random.nextInt(3000);
            long output = error ? 0 : 40 + random.nextInt(600);
            String prompt = prompt();
            String answer = sentence() + " " + sentence();
            if (d < mix.otel()) {
                otel(span, model, input, output, prompt, answer, user, session);
            } else if (d < mix.otel() + mix.openInference()) {
                openInference(span, model, input, output, prompt, answer, user, session);
            } else {
                openLlmetry(span, model, input, output, prompt, answer, user, session);
            }
            if (error) {
                span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)
                        .setMessage("429 Too Many Requests")).addAttributes(s("error.type", "rate_limit_exceeded"));
            }
            scope.addSpans(span);
            t += llmNanos;
        }
    }

    private String sentence() {
        return SENTENCES.get(random.nextInt(SENTENCES.size()));
    }

    private String prompt() {
        StringBuilder b = new StringBuilder();
        if (shape == Shape.LLM4) {
            // 2-3 sentences (~200 characters; the input message ~340 with the system message, the output ~240): a
            // span is ~820 bytes on average.
            int sentences = 2 + random.nextInt(2);
            for (int s = 0; s < sentences; s++) {
                b.append(sentence()).append(' ');
            }
        } else {
            for (int s = 0; s < 3 + random.nextInt(6); s++) {
                b.append(sentence()).append(' ');
            }
        }
        if (random.nextDouble() < mix.piiRatio()) {
            b.append(PII.get(random.nextInt(PII.size())));
        }
        return b.toString().trim();
    }

    private void otel(Span.Builder span, String[] model, long input, long output, String prompt, String answer,
                      String user, String session) {
        String in = "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"You are a helpful assistant.\"}]},"
                + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"" + prompt + "\"}]}]";
        String out = "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"" + answer
                + "\"}],\"finish_reason\":\"stop\"}]";
        span.addAllAttributes(List.of(s("gen_ai.operation.name", "chat"), s("gen_ai.provider.name", model[0]),
                s("gen_ai.request.model", model[1]), s("gen_ai.response.model", model[2]),
                s("gen_ai.response.id", "chatcmpl-" + Long.toHexString(random.nextLong())),
                n("gen_ai.usage.input_tokens", input), n("gen_ai.usage.output_tokens", output),
                n("gen_ai.usage.cache_read.input_tokens", random.nextInt(300)), d("gen_ai.request.temperature", 0.2),
                n("gen_ai.request.max_tokens", 1024), s("gen_ai.response.finish_reasons", "stop"),
                s("gen_ai.conversation.id", session), s("server.address", "api." + model[0] + ".com"),
                n("server.port", 443), s("user.id", user), s("session.id", session),
                s("gen_ai.input.messages", in), s("gen_ai.output.messages", out),
                d("gen_ai.request.top_p", 1.0), s("gen_ai.output.type", "text")));
    }

    private void openInference(Span.Builder span, String[] model, long input, long output, String prompt,
                               String answer, String user, String session) {
        span.addAllAttributes(List.of(s("openinference.span.kind", "LLM"), s("llm.model_name", model[1]),
                s("llm.provider", model[0]), s("llm.system", model[0]),
                n("llm.token_count.prompt", input), n("llm.token_count.completion", output),
                n("llm.token_count.total", input + output),
                s("llm.invocation_parameters", "{\"temperature\": 0.2, \"max_tokens\": 1024}"),
                s("input.value", prompt), s("input.mime_type", "text/plain"), s("output.value", answer),
                s("output.mime_type", "text/plain"), s("llm.input_messages.0.message.role", "system"),
                s("llm.input_messages.0.message.content", "You are a helpful assistant."),
                s("llm.input_messages.1.message.role", "user"), s("llm.input_messages.1.message.content", prompt),
                s("llm.output_messages.0.message.role", "assistant"),
                s("llm.output_messages.0.message.content", answer), s("user.id", user), s("session.id", session)));
    }

    private void openLlmetry(Span.Builder span, String[] model, long input, long output, String prompt, String answer,
                             String user, String session) {
        span.addAllAttributes(List.of(s("gen_ai.system", model[0]), s("gen_ai.request.model", model[1]),
                s("gen_ai.response.model", model[2]), n("gen_ai.usage.prompt_tokens", input),
                n("gen_ai.usage.completion_tokens", output), n("llm.usage.total_tokens", input + output),
                s("llm.request.type", "chat"), s("llm.is_streaming", "false"), d("gen_ai.request.temperature", 0.2),
                n("gen_ai.request.max_tokens", 1024), s("gen_ai.prompt.0.role", "system"),
                s("gen_ai.prompt.0.content", "You are a helpful assistant."), s("gen_ai.prompt.1.role", "user"),
                s("gen_ai.prompt.1.content", prompt), s("gen_ai.completion.0.role", "assistant"),
                s("gen_ai.completion.0.content", answer), s("gen_ai.completion.0.finish_reason", "stop"),
                s("traceloop.association.properties.user_id", user), s("traceloop.workflow.name", "rag"),
                s("session.id", session)));
    }

    private ByteString bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8 && i + j < n; j++) {
                b[i + j] = (byte) (v >>> (8 * j));
            }
        }
        if (b[0] == 0) {
            b[0] = 1;
        }
        return ByteString.copyFrom(b);
    }

    private static KeyValue s(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    private static KeyValue n(String k, long v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
    }

    private static KeyValue d(String k, double v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setDoubleValue(v)).build();
    }

}
