package io.llmobservatory.enrich.pipeline;

import io.llmobservatory.enrich.cost.Cost;
import io.llmobservatory.enrich.cost.CostAttributes;
import io.llmobservatory.enrich.cost.CostCalculator;
import io.llmobservatory.enrich.export.ExternalStores;
import io.llmobservatory.enrich.genai.LlmCall;
import io.llmobservatory.enrich.genai.LlmCallExtractor;
import io.llmobservatory.enrich.pii.SpanScrubber;
import io.llmobservatory.enrich.sampling.Sampling;
import io.llmobservatory.enrich.sampling.SpanSampler;
import io.llmobservatory.enrich.storage.PricedCall;
import io.llmobservatory.enrich.storage.StorableCall;
import io.llmobservatory.enrich.storage.TraceRepository;
import io.llmobservatory.enrich.wal.TraceWriter;
import io.llmobservatory.shared.model.SpanRecord;
import io.llmobservatory.shared.otlp.OtlpMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * Maps a batch to the model, scrubs PII, extracts and prices LLM calls, writes each call's cost onto its span, and stores
 * spans and calls together.
 */
@ApplicationScoped
public class TracePipeline implements TracesConsumer {
    private final SpanScrubber scrubber;
    private final LlmCallExtractor extractor;
    private final CostCalculator costs;
    private final TraceWriter writer;
    private final SpanSampler sampler;
    private final ExternalStores external;
    private final Counter storedSpans;
    private final Counter llmCalls;
    private final Counter unpricedCalls;
    private final Counter unpricedTokens;
    private final Counter costDisagreements;
    private final Counter sentSpans;
    private final Counter sendFailedSpans;
    private final Counter droppedSpans;
    private final Counter rejectedSpans;
    private final Timer writeLatency;
    private final MeterRegistry registry;

    public TracePipeline(SpanScrubber scrubber, LlmCallExtractor extractor, CostCalculator costs,
                         TraceWriter writer, Sampling sampler, ExternalStores external,
                         MeterRegistry registry) {
        this.scrubber = scrubber;
        this.extractor = extractor;
        this.costs = costs;
        this.writer = writer;
        this.sampler = sampler;
        this.external = external;
        this.storedSpans = Counter.builder("observatory.enrich.stored.spans")
                .description("Spans committed to storage (retried duplicates included)").register(registry);
        this.llmCalls = Counter.builder("observatory.enrich.llm.calls")
                .description("LLM calls recognised and stored").register(registry);
        this.unpricedCalls = Counter.builder("observatory.enrich.unpriced.calls")
                .description("LLM calls stored without a cost of ours (unknown model or no usage)").register(registry);
        this.unpricedTokens = Counter.builder("observatory.enrich.unpriced.tokens")
                .description("Input plus output tokens of unpriced LLM calls").register(registry);
        this.costDisagreements = Counter.builder("observatory.enrich.cost.disagreements")
                .description("Calls whose instrumentation-provided cost differs from ours by more than 1 %")
                .register(registry);
        // The Collector's self-metric names, so its alert rules and dashboards apply to this pipeline too.
        this.sentSpans = Counter.builder("otelcol.exporter.sent.spans").tag("exporter", "postgresql")
                .description("Spans (and their LLM-call facts) committed to PostgreSQL").register(registry);
        this.sendFailedSpans = Counter.builder("otelcol.exporter.send.failed.spans").tag("exporter", "postgresql")
                .description("Spans whose batch PostgreSQL did not commit (the client is told to retry)").register(registry);
        this.droppedSpans = Counter.builder("otelcol.processor.dropped.spans").tag("processor", "sampling")
                .description("Spans the sampler left out of span storage (their LLM-call facts are kept)")
                .register(registry);
        this.rejectedSpans = Counter.builder("observatory.enrich.rejected.spans")
                .description("Spans refused alone (partial success): a value the store cannot hold, or a span id twice")
                .register(registry);
        this.writeLatency = Timer.builder("observatory.enrich.db.write").tag("signal", "traces")
                .description("Time to commit one batch of spans and LLM-call facts to PostgreSQL")
                .publishPercentileHistogram().register(registry);
        this.registry = registry;
    }

    @Override
    public Uni<BatchResult> consume(String tenant, ExportTraceServiceRequest batch) {
        // PII is scrubbed first: nothing after this line, and no store, sees the raw values.
        List<SpanRecord> spans = new ArrayList<>(scrubber.scrub(tenant, OtlpMapper.toSpans(batch)));
        List<PricedCall> calls = new ArrayList<>();
        int unpriced = 0;
        long unpricedTokenCount = 0;
        int disagreements = 0;
        Map<String, BigDecimal> costBySpan = new HashMap<>();
        int rejected = 0;
        String firstRejection = null;
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < spans.size(); i++) {
            SpanRecord span = spans.get(i);
            if (!ids.add(span.traceId() + span.spanId())) {
                // Stored once per (tenant, trace id, span id): a second span with the key is refused, not merged.
                rejected++;
                firstRejection = firstRejection != null ? firstRejection : "span " + span.spanId() + " \"" + span.name()
                        + "\": trace " + span.traceId() + " holds this span id twice in the batch; the first is kept";
                spans.set(i, null);
                continue;
            }
            Optional<LlmCall> found = extractor.extract(span);
            if (found.isEmpty()) {
                continue;
            }
            LlmCall call = costs.withInferredProvider(tenant, found.get());
            Cost cost = costs.price(tenant, call);
            String problem = StorableCall.problem(call, cost);
            if (problem != null) {
                // Refused alone, before the database: the other spans of the batch are stored.
                rejected++;
                firstRejection = firstRejection != null ? firstRejection
                        : "span " + span.spanId() + " \"" + span.name() + "\": " + problem;
                spans.set(i, null);
                continue;
            }
            if (cost.version() == null) {
                unpriced++;
                unpricedTokenCount += (call.inputTokens() == null ? 0 : call.inputTokens())
                        + (call.outputTokens() == null ? 0 : call.outputTokens());
            }
            if (cost.disagrees()) {
                disagreements++;
            }
            calls.add(new PricedCall(call, cost));
            if (cost.total() != null) {
                costBySpan.put(call.spanId(), cost.total());
            }
            spans.set(i, CostAttributes.apply(span, call, cost));
        }
        if (rejected > 0) {
            spans.removeIf(java.util.Objects::isNull);
            rejectedSpans.increment(rejected);
        }
        BatchResult result = new BatchResult(spans.size(), calls.size(), unpriced, rejected, firstRejection);
        long tokens = unpricedTokenCount;
        int disagreed = disagreements;
        // Every call's facts are stored; sampling only decides which full spans are.
        List<SpanRecord> kept = sampler.sample(tenant, spans, costBySpan);
        int toPostgres = external.spansToPostgres() ? kept.size() : 0;
        // Once the rows are encoded the spans are needed only to go on to Tempo: without it the chain below must not
        // keep them alive while PostgreSQL writes the batch (enrich's young collections copied them).
        List<SpanRecord> forTempo = external.spansToTempo() ? kept : List.of();
        Timer.Sample write = Timer.start(registry);
        return writer.store(TraceRepository.prepare(tenant, external.spansToPostgres() ? kept : List.of(), calls))
                .onTermination().invoke(() -> write.stop(writeLatency))
                .invoke(() -> sentSpans.increment(toPostgres))
                .onFailure().invoke(() -> sendFailedSpans.increment(toPostgres))
                .chain(() -> external.spans(tenant, forTempo)).invoke(() -> {
            droppedSpans.increment(result.spans() - kept.size());
            storedSpans.increment(result.spans());
            llmCalls.increment(result.llmCalls());
            unpricedCalls.increment(result.unpricedCalls());
            unpricedTokens.increment(tokens);
            costDisagreements.increment(disagreed);
        }).replaceWith(result);
    }
}
