package io.llmobservatory.enrich.pipeline;

import io.llmobservatory.enrich.cost.Cost;
import io.llmobservatory.enrich.cost.CostCalculator;
import io.llmobservatory.enrich.genai.LlmCall;
import io.llmobservatory.enrich.genai.LlmCallExtractor;
import io.llmobservatory.enrich.storage.PricedCall;
import io.llmobservatory.enrich.storage.TraceRepository;
import io.llmobservatory.shared.model.SpanRecord;
import io.llmobservatory.shared.otlp.OtlpMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Maps a batch to the model, extracts and prices LLM calls, stores spans and calls together. */
@ApplicationScoped
public class TracePipeline implements TracesConsumer {
    private final LlmCallExtractor extractor;
    private final CostCalculator costs;
    private final TraceRepository repository;
    private final Counter storedSpans;
    private final Counter llmCalls;
    private final Counter unpricedCalls;

    public TracePipeline(LlmCallExtractor extractor, CostCalculator costs, TraceRepository repository,
                         MeterRegistry registry) {
        this.extractor = extractor;
        this.costs = costs;
        this.repository = repository;
        this.storedSpans = Counter.builder("observatory.enrich.stored.spans")
                .description("Spans committed to storage (retried duplicates included)").register(registry);
        this.llmCalls = Counter.builder("observatory.enrich.llm.calls")
                .description("LLM calls recognised and stored").register(registry);
        this.unpricedCalls = Counter.builder("observatory.enrich.unpriced.calls")
                .description("LLM calls stored without a cost (unknown model or no usage)").register(registry);
    }

    @Override
    public Uni<BatchResult> consume(String tenant, ExportTraceServiceRequest batch) {
        List<SpanRecord> spans = OtlpMapper.toSpans(batch);
        List<PricedCall> calls = new ArrayList<>();
        int unpriced = 0;
        for (SpanRecord span : spans) {
            Optional<LlmCall> call = extractor.extract(span);
            if (call.isPresent()) {
                Cost cost = costs.price(call.get());
                if (!cost.priced()) {
                    unpriced++;
                }
                calls.add(new PricedCall(call.get(), cost));
            }
        }
        BatchResult result = new BatchResult(spans.size(), calls.size(), unpriced);
        return repository.store(tenant, spans, calls).invoke(() -> {
            storedSpans.increment(result.spans());
            llmCalls.increment(result.llmCalls());
            unpricedCalls.increment(result.unpricedCalls());
        }).replaceWith(result);
    }
}
