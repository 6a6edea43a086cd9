package io.llmobservatory.ingest.receiver;

import io.llmobservatory.ingest.config.IngestConfig;
import io.llmobservatory.ingest.exporter.EnrichClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.regex.Pattern;

/**
 * The OTLP trace receiver behind both transports: resolves the tenant, validates, forwards the valid spans
 * to enrich and answers with OTLP partial success. Counts spans with the Collector's self-metric names.
 */
@ApplicationScoped
public class TraceReceiver {
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final TraceValidator validator;
    private final EnrichClient enrich;
    private final IngestConfig config;
    private final MeterRegistry registry;

    public TraceReceiver(TraceValidator validator, EnrichClient enrich, IngestConfig config, MeterRegistry registry) {
        this.validator = validator;
        this.enrich = enrich;
        this.config = config;
        this.registry = registry;
    }

    /** The tenant a request belongs to: the tenant header when given, else the default tenant. */
    public String tenant(String header) {
        if (header == null || header.isBlank()) {
            return config.tenant().defaultTenant();
        }
        String tenant = header.trim();
        if (!TENANT.matcher(tenant).matches()) {
            throw new InvalidRequestException(config.tenant().header()
                    + " must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return tenant;
    }

    public Uni<ExportTraceServiceResponse> export(String tenant, ExportTraceServiceRequest request, String transport) {
        ValidatedBatch batch = validator.validate(request);
        if (batch.rejectedSpans() > 0) {
            counter("otelcol.receiver.refused.spans", transport).increment(batch.rejectedSpans());
        }
        ExportTraceServiceResponse response = response(batch);
        if (batch.acceptedSpans() == 0) {
            return Uni.createFrom().item(response);
        }
        return enrich.consume(tenant, batch.accepted())
                .invoke(() -> counter("otelcol.receiver.accepted.spans", transport).increment(batch.acceptedSpans()))
                .onFailure().invoke(() -> counter("otelcol.receiver.refused.spans", transport)
                        .increment(batch.acceptedSpans()))
                .replaceWith(response);
    }

    private static ExportTraceServiceResponse response(ValidatedBatch batch) {
        if (batch.rejectedSpans() == 0) {
            return ExportTraceServiceResponse.getDefaultInstance();
        }
        String message = "rejected " + batch.rejectedSpans() + " of " + (batch.rejectedSpans() + batch.acceptedSpans())
                + " spans; first: " + batch.firstProblem();
        return ExportTraceServiceResponse.newBuilder()
                .setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                        .setRejectedSpans(batch.rejectedSpans())
                        .setErrorMessage(message))
                .build();
    }

    private Counter counter(String name, String transport) {
        return Counter.builder(name).tag("receiver", "otlp").tag("transport", transport).register(registry);
    }
}
