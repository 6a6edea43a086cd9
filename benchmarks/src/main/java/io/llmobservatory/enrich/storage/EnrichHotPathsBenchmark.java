package io.llmobservatory.enrich.storage;

import io.llmobservatory.benchmarks.EnrichParts;
import io.llmobservatory.enrich.cost.Cost;
import io.llmobservatory.enrich.cost.CostAttributes;
import io.llmobservatory.enrich.cost.CostCalculator;
import io.llmobservatory.enrich.genai.LlmCall;
import io.llmobservatory.enrich.genai.LlmCallExtractor;
import io.llmobservatory.enrich.pii.SpanScrubber;
import io.llmobservatory.loadgen.TraceFactory;
import io.llmobservatory.shared.model.SpanRecord;
import io.llmobservatory.shared.otlp.OtlpMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The enrich service's in-memory hot paths on the load generator's traffic (RAG/agent traces, three GenAI dialects,
 * 5 % PII; ~40 % of the spans are LLM calls), in spans per second per thread: normalization (dialect detection and
 * extraction), cost, PII scrubbing, row encoding (spans and calls to the insert's column arrays, JSON text for the
 * jsonb columns), and all of them in the order the pipeline runs them. Every figure is per span of the batch,
 * LLM call or not. Lives in the storage package because the row mappers are package-private.
 * Run: {@code benchmarks/run EnrichHotPathsBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EnrichHotPathsBenchmark {
    static final int SPANS = 500;

    private SpanScrubber scrubber;
    private LlmCallExtractor extractor;
    private CostCalculator costs;
    private ExportTraceServiceRequest request;
    private List<SpanRecord> spans;
    private List<LlmCall> calls;
    private List<PricedCall> priced;

    @Setup
    public void setUp() {
        scrubber = EnrichParts.scrubber();
        extractor = EnrichParts.extractor();
        costs = EnrichParts.costs();
        request = firstSpans(new TraceFactory(TraceFactory.Mix.DEFAULT, 42).request(SPANS, 1_795_773_600_000_000_000L),
                SPANS);
        spans = OtlpMapper.toSpans(request);
        calls = new ArrayList<>();
        priced = new ArrayList<>();
        for (SpanRecord span : spans) {
            extractor.extract(span).ifPresent(call -> {
                calls.add(call);
                priced.add(new PricedCall(call, costs.price("bench", call)));
            });
        }
        if (calls.isEmpty()) {
            throw new IllegalStateException("the load generator's batch has no LLM calls");
        }
    }

    @Benchmark
    @OperationsPerInvocation(SPANS)
    public void normalize(Blackhole bh) {
        int found = 0;
        for (SpanRecord span : spans) {
            Optional<LlmCall> call = extractor.extract(span);
            if (call.isPresent()) {
                found++;
            }
        }
        bh.consume(found);
    }

    @Benchmark
    @OperationsPerInvocation(SPANS)
    public void cost(Blackhole bh) {
        for (LlmCall call : calls) {
            bh.consume(costs.price("bench", call));
        }
    }

    @Benchmark
    @OperationsPerInvocation(SPANS)
    public void piiScrub(Blackhole bh) {
        bh.consume(scrubber.scrub("bench", spans));
    }

    @Benchmark
    @OperationsPerInvocation(SPANS)
    public void rowEncoding(Blackhole bh) {
        bh.consume(SpanRowMapper.toTuple("bench", spans));
        bh.consume(LlmCallRowMapper.toTuple("bench", priced));
    }

    /** OTLP to model, scrub, extract, price, cost attributes onto spans, rows: the pipeline without I/O. */
    @Benchmark
    @OperationsPerInvocation(SPANS)
    public void wholeBatch(Blackhole bh) {
        List<SpanRecord> out = new ArrayList<>(scrubber.scrub("bench", OtlpMapper.toSpans(request)));
        List<PricedCall> found = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            SpanRecord span = out.get(i);
            Optional<LlmCall> call = extractor.extract(span);
            if (call.isPresent()) {
                Cost cost = costs.price("bench", call.get());
                found.add(new PricedCall(call.get(), cost));
                out.set(i, CostAttributes.apply(span, call.get(), cost));
            }
        }
        bh.consume(SpanRowMapper.toTuple("bench", out));
        bh.consume(LlmCallRowMapper.toTuple("bench", found));
    }

    /** The first {@code n} spans of a request (the factory makes whole traces, so slightly more than asked). */
    static ExportTraceServiceRequest firstSpans(ExportTraceServiceRequest request, int n) {
        ExportTraceServiceRequest.Builder out = ExportTraceServiceRequest.newBuilder();
        int left = n;
        for (ResourceSpans rs : request.getResourceSpansList()) {
            ResourceSpans.Builder r = rs.toBuilder().clearScopeSpans();
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                if (left == 0) {
                    break;
                }
                List<Span> kept = ss.getSpansList().subList(0, Math.min(left, ss.getSpansCount()));
                left -= kept.size();
                r.addScopeSpans(ss.toBuilder().clearSpans().addAllSpans(kept));
            }
            if (r.getScopeSpansCount() > 0) {
                out.addResourceSpans(r);
            }
        }
        if (left != 0) {
            throw new IllegalStateException("the request has fewer than " + n + " spans");
        }
        return out.build();
    }
}
