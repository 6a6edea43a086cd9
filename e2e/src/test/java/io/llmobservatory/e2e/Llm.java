package io.llmobservatory.e2e;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.specification.RequestSpecification;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Helpers shared by the end-to-end tests: an instrumented "application" and the query API. */
final class Llm {
    static final String TENANT_HEADER = "X-Scope-OrgID";

    private Llm() {
    }

    static String newTenant(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** An application's tracer provider exporting synchronously through the given exporter. */
    static SdkTracerProvider provider(String serviceName, SpanExporter exporter) {
        return SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), serviceName))))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build();
    }

    /**
     * Records a chat call with current OpenTelemetry GenAI attributes as a child of an HTTP server span, like an
     * instrumented RAG endpoint would. Returns the trace id.
     */
    static String chatTrace(Tracer tracer, String provider, String model, long input, long output, Long cacheRead,
                            String user, boolean error) {
        Instant start = Instant.now().minusSeconds(5);
        Span root = tracer.spanBuilder("POST /chat").setSpanKind(SpanKind.SERVER).setStartTimestamp(start).startSpan();
        try (Scope ignored = root.makeCurrent()) {
            Span call = tracer.spanBuilder("chat " + model).setSpanKind(SpanKind.CLIENT)
                    .setStartTimestamp(start.plusMillis(10))
                    .setAttribute("gen_ai.provider.name", provider)
                    .setAttribute("gen_ai.operation.name", "chat")
                    .setAttribute("gen_ai.request.model", model)
                    .setAttribute("gen_ai.usage.input_tokens", input)
                    .setAttribute("gen_ai.usage.output_tokens", output)
                    .setAttribute(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), List.of("stop"))
                    .setAttribute("user.id", user)
                    .startSpan();
            if (cacheRead != null) {
                call.setAttribute("gen_ai.usage.cache_read.input_tokens", cacheRead);
            }
            call.addEvent("gen_ai.content.prompt", Attributes.of(AttributeKey.stringKey("gen_ai.prompt"), "hello"));
            if (error) {
                call.setStatus(StatusCode.ERROR, "rate limited");
                call.setAttribute("error.type", "429");
            }
            call.end(start.plusMillis(1010));
        } finally {
            root.end(start.plusMillis(1100));
        }
        return root.getSpanContext().getTraceId();
    }

    static void flush(SdkTracerProvider provider) {
        CompletableResultCode result = provider.forceFlush().join(60, TimeUnit.SECONDS);
        if (!result.isSuccess()) {
            throw new AssertionError("export failed", result.getFailureThrowable());
        }
    }

    /** A JSON number as BigDecimal, whatever type the JSON reader chose for it. */
    static java.math.BigDecimal dec(Object number) {
        return new java.math.BigDecimal(String.valueOf(number));
    }

    static RequestSpecification query(Suite suite, String tenant) {
        return RestAssured.given()
                .config(RestAssuredConfig.config().jsonConfig(
                        JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL)))
                .baseUri(suite.queryUrl())
                .header("Authorization", bearer(suite, tenant));
    }

    /** {@code Bearer <key>} for a key of {@code tenant} with the ingest and query scopes. */
    static String bearer(Suite suite, String tenant) {
        return "Bearer " + suite.key(tenant);
    }
}
