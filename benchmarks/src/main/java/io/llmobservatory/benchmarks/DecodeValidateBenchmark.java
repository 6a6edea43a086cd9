package io.llmobservatory.benchmarks;

import io.llmobservatory.ingest.receiver.SpanLimiter;
import io.llmobservatory.ingest.receiver.TraceValidator;
import io.llmobservatory.ingest.receiver.ValidatedBatch;
import io.llmobservatory.loadgen.TraceFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
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

import java.util.concurrent.TimeUnit;

/**
 * Ingest's hot path per request: OTLP/protobuf decode of a 500-span export of realistic LLM traffic (the load
 * generator's traces: ~20 attributes on the LLM spans, JSON messages), validation and the span limits. Spans per
 * second per thread. Run: {@code benchmarks/run DecodeValidateBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(3)
public class DecodeValidateBenchmark {
    static final int SPANS = 500;

    private byte[] encoded;
    private int spans;
    private final TraceValidator validator = new TraceValidator();
    private final SpanLimiter limits = new SpanLimiter(128, 65536, 128, 128, new SimpleMeterRegistry());

    @Setup
    public void setUp() {
        ExportTraceServiceRequest request = new TraceFactory(TraceFactory.Mix.DEFAULT, 42)
                .request(SPANS, System.currentTimeMillis() * 1_000_000L);
        encoded = request.toByteArray();
        spans = request.getResourceSpans(0).getScopeSpans(0).getSpansCount();
        if (spans < SPANS || spans > SPANS + 10) {
            throw new IllegalStateException("expected about " + SPANS + " spans, got " + spans);
        }
    }

    @Benchmark
    @OperationsPerInvocation(SPANS)
    public ValidatedBatch<ExportTraceServiceRequest> decodeValidateLimit() throws Exception {
        return limits.limit(validator.validate(ExportTraceServiceRequest.parseFrom(encoded)));
    }

    @Benchmark
    @OperationsPerInvocation(SPANS)
    public ExportTraceServiceRequest decodeOnly() throws Exception {
        return ExportTraceServiceRequest.parseFrom(encoded);
    }
}
