package io.llmobservatory.benchmarks;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import io.llmobservatory.loadgen.TraceFactory;

import java.util.List;
import java.util.Random;

/** LLM spans shaped like real RAG calls: ~20 attributes, JSON messages, PII in a chosen share of them. */
final class RealisticSpans {
    private static final List<String> SENTENCES = TraceFactory.SENTENCES;
    private static final List<String> PII = TraceFactory.PII;

    private RealisticSpans() {
    }

    static ExportTraceServiceRequest batch(int spans, double piiShare, long seed) {
        Random r = new Random(seed);
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (int i = 0; i < spans; i++) {
            boolean pii = r.nextDouble() < piiShare;
            StringBuilder user = new StringBuilder();
            for (int s = 0; s < 3 + r.nextInt(6); s++) {
                user.append(SENTENCES.get(r.nextInt(SENTENCES.size()))).append(' ');
            }
            if (pii) {
                user.append(PII.get(r.nextInt(PII.size())));
            }
            String input = "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"You are a helpful assistant.\"}]},"
                    + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"" + user + "\"}]}]";
            String output = "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\""
                    + SENTENCES.get(r.nextInt(SENTENCES.size())) + SENTENCES.get(r.nextInt(SENTENCES.size()))
                    + "\"}],\"finish_reason\":\"stop\"}]";
            byte[] trace = new byte[16];
            byte[] span = new byte[8];
            r.nextBytes(trace);
            r.nextBytes(span);
            long start = 1_795_773_600_000_000_000L + i * 1_000_000L;
            scope.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(trace)).setSpanId(ByteString.copyFrom(span))
                    .setName("chat gpt-4o").setKindValue(3).setStartTimeUnixNano(start).setEndTimeUnixNano(start + 900_000_000L)
                    .addAttributes(s("gen_ai.operation.name", "chat")).addAttributes(s("gen_ai.provider.name", "openai"))
                    .addAttributes(s("gen_ai.request.model", "gpt-4o")).addAttributes(s("gen_ai.response.model", "gpt-4o-2024-08-06"))
                    .addAttributes(s("gen_ai.response.id", "chatcmpl-" + Long.toHexString(r.nextLong())))
                    .addAttributes(n("gen_ai.usage.input_tokens", 500 + r.nextInt(3000)))
                    .addAttributes(n("gen_ai.usage.output_tokens", 50 + r.nextInt(500)))
                    .addAttributes(n("gen_ai.usage.cache_read.input_tokens", r.nextInt(400)))
                    .addAttributes(d("gen_ai.request.temperature", 0.2)).addAttributes(n("gen_ai.request.max_tokens", 1024))
                    .addAttributes(s("gen_ai.response.finish_reasons", "stop"))
                    .addAttributes(s("gen_ai.conversation.id", "conv-" + r.nextInt(1000)))
                    .addAttributes(s("server.address", "api.openai.com")).addAttributes(n("server.port", 443))
                    .addAttributes(s("user.id", "user-" + r.nextInt(5000)))
                    .addAttributes(s("http.request.method", "POST")).addAttributes(n("http.response.status_code", 200))
                    .addAttributes(s("url.full", "https://api.openai.com/v1/chat/completions"))
                    .addAttributes(s("gen_ai.input.messages", input)).addAttributes(s("gen_ai.output.messages", output)));
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(s("service.name", "rag-api"))
                        .addAttributes(s("deployment.environment.name", "production"))
                        .addAttributes(s("telemetry.sdk.language", "python")))
                .addScopeSpans(scope)).build();
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
