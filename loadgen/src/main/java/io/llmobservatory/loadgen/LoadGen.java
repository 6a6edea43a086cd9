package io.llmobservatory.loadgen;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends realistic LLM traces over OTLP at a set rate for a set time, like the Collector's telemetrygen, and reports
 * what the server acknowledged. Usage: {@code benchmarks/loadgen --rate=5000 --duration=60s [options]}; see
 * {@link Options}. Prints progress while it runs and a summary at the end (also written to {@code --out}).
 */
public final class LoadGen {
    private final Options options;
    private final LongAdder sentSpans = new LongAdder();
    private final LongAdder sentBytes = new LongAdder();
    private final LongAdder acknowledgedSpans = new LongAdder();
    private final LongAdder acknowledgedCalls = new LongAdder();
    private final LongAdder rejectedSpans = new LongAdder();
    private final LongAdder failedSpans = new LongAdder();
    private final LongAdder retries = new LongAdder();
    /** Spans of exports answered with a retryable code (each attempt counted): not acknowledged, sent again. */
    private final LongAdder retryableRejectedSpans = new LongAdder();
    private final LongAdder exports = new LongAdder();
    /** Spans acknowledged for exports started after the warm-up: the achieved rate counts only these. */
    private final LongAdder measuredSpans = new LongAdder();
    private volatile long measureFrom;
    private final Recorder latency = new Recorder(TimeUnit.SECONDS.toMicros(60), 3);
    private final Histogram total = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    private final AtomicLong nextSlot = new AtomicLong();
    /** Each measured export's start (epoch ms), latency (µs) and spans, for --latency-log. */
    private final ConcurrentLinkedQueue<long[]> exportLog = new ConcurrentLinkedQueue<>();
    private volatile String lastError;

    LoadGen(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("loadgen: " + e.getMessage() + "\n\n" + Options.USAGE);
            System.exit(2);
            return;
        }
        Map<String, Object> summary = new LoadGen(options).run();
        System.exit(((Number) summary.get("failed_spans")).longValue() > 0 && options.failOnLoss() ? 1 : 0);
    }

    /** Runs the load and returns the summary. */
    Map<String, Object> run() throws Exception {
        long start = System.nanoTime();
        measureFrom = start + options.warmup().toNanos();
        long end = measureFrom + options.duration().toNanos();
        nextSlot.set(start);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < options.concurrency(); w++) {
            int id = w;
            Thread t = new Thread(() -> work(id, end), "loadgen-" + w);
            t.start();
            workers.add(t);
        }
        long lastReport = start;
        long lastAcked = 0;
        while (workers.stream().anyMatch(Thread::isAlive)) {
            Thread.sleep(Math.min(200, options.progress().toMillis()));
            long now = System.nanoTime();
            if (now - lastReport >= options.progress().toNanos()) {
                Histogram window = latency.getIntervalHistogram();
                synchronized (total) {
                    total.add(window);
                }
                long acked = acknowledgedSpans.sum();
                System.out.printf(Locale.ROOT, "%6.1fs%s  %9.0f spans/s acknowledged  total %d  retries %d  failed %d"
                                + "  export p50 %.1f ms p99 %.1f ms%s%n", (now - start) / 1e9,
                        now < measureFrom ? " (warm-up)" : "",
                        (acked - lastAcked) / ((now - lastReport) / 1e9), acked, retries.sum(), failedSpans.sum(),
                        window.getValueAtPercentile(50) / 1e3, window.getValueAtPercentile(99) / 1e3,
                        lastError == null ? "" : "  last error: " + lastError);
                lastReport = now;
                lastAcked = acked;
            }
        }
        double seconds = (System.nanoTime() - measureFrom) / 1e9;
        synchronized (total) {
            total.add(latency.getIntervalHistogram());
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("protocol", options.protocol());
        if (options.protocol().equals("http")) {
            summary.put("http_encoding", options.encoding());
            summary.put("http_version", options.httpVersion());
        }
        summary.put("target_spans_per_s", options.rate());
        summary.put("warmup_s", round(options.warmup().toMillis() / 1e3));
        summary.put("duration_s", round(seconds));
        summary.put("exports", exports.sum());
        summary.put("sent_spans", sentSpans.sum());
        summary.put("bytes_per_span", round(sentBytes.sum() / (double) Math.max(1, sentSpans.sum())));
        summary.put("acknowledged_spans", acknowledgedSpans.sum());
        summary.put("acknowledged_llm_calls", acknowledgedCalls.sum());
        summary.put("rejected_spans", rejectedSpans.sum());
        summary.put("retries", retries.sum());
        summary.put("retryable_rejected_spans", retryableRejectedSpans.sum());
        summary.put("failed_spans", failedSpans.sum());
        summary.put("achieved_spans_per_s", round(measuredSpans.sum() / seconds));
        summary.put("export_p50_ms", round(total.getValueAtPercentile(50) / 1e3));
        summary.put("export_p90_ms", round(total.getValueAtPercentile(90) / 1e3));
        summary.put("export_p99_ms", round(total.getValueAtPercentile(99) / 1e3));
        summary.put("export_max_ms", round(total.getMaxValue() / 1e3));
        StringBuilder text = new StringBuilder();
        summary.forEach((k, v) -> text.append(k).append('\t').append(v).append('\n'));
        System.out.print("\n" + text);
        if (options.out() != null) {
            Files.writeString(options.out(), text);
        }
        if (options.latencyLog() != null) {
            writeLatencyLog(exportLog, options.latencyLog());
        }
        return summary;
    }

    /**
     * One line per measured export ({start epoch ms, latency µs, spans}), in start order: when it started, how long it
     * took (ms), how many spans it held.
     */
    static void writeLatencyLog(Collection<long[]> exports, Path file) throws IOException {
        List<long[]> rows = new ArrayList<>(exports);
        rows.sort(Comparator.comparingLong(r -> r[0]));
        StringBuilder log = new StringBuilder("start_epoch_ms\tlatency_ms\tspans\n");
        for (long[] r : rows) {
            log.append(r[0]).append('\t').append(String.format(Locale.ROOT, "%.3f", r[1] / 1e3)).append('\t')
                    .append(r[2]).append('\n');
        }
        Files.writeString(file, log);
    }

    private void work(int worker, long end) {
        TraceFactory traces = new TraceFactory(options.mix(), options.seed() * 1000 + worker, options.shape());
        try (OtlpSender sender = sender()) {
            long n = 0;
            while (System.nanoTime() < end) {
                ExportTraceServiceRequest request = traces.request(options.batch(), System.currentTimeMillis() * 1_000_000L);
                int spans = request.getResourceSpans(0).getScopeSpans(0).getSpansCount();
                sentBytes.add(request.getSerializedSize());
                pace(spans);
                String tenant = options.tenants().isEmpty() ? null : options.tenants().get((int) (n++ % options.tenants().size()));
                send(sender, request, spans, tenant);
            }
        } catch (Exception e) {
            lastError = e.toString();
            throw new IllegalStateException(e);
        }
    }

    /** Holds the overall rate: each batch takes the next free time slot of its size. */
    private void pace(int spans) {
        if (options.rate() <= 0) {
            return;
        }
        long slot = (long) (spans * 1e9 / options.rate());
        long at = nextSlot.getAndUpdate(prev -> Math.max(prev, System.nanoTime() - 1_000_000_000L) + slot);
        long wait = at - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void send(OtlpSender sender, ExportTraceServiceRequest request, int spans, String tenant) {
        sentSpans.add(spans);
        Duration backoff = Duration.ofMillis(200);
        for (int attempt = 0; attempt <= options.maxRetries(); attempt++) {
            long t0 = System.nanoTime();
            long startedAt = System.currentTimeMillis();
            OtlpSender.Outcome outcome = sender.send(request, tenant);
            exports.increment();
            if (outcome.ok()) {
                if (t0 >= measureFrom) {
                    long micros = Math.min((System.nanoTime() - t0) / 1000, TimeUnit.SECONDS.toMicros(60));
                    latency.recordValue(micros);
                    if (options.latencyLog() != null) {
                        exportLog.add(new long[] {startedAt, micros, spans});
                    }
                    measuredSpans.add(spans - outcome.rejectedSpans());
                }
                acknowledgedSpans.add(spans - outcome.rejectedSpans());
                rejectedSpans.add(outcome.rejectedSpans());
                acknowledgedCalls.add(TraceFactory.llmCalls(request));
                return;
            }
            lastError = outcome.error();
            if (!outcome.retryable()) {
                failedSpans.add(spans);
                return;
            }
            retries.increment();
            retryableRejectedSpans.add(spans);
            Duration wait = outcome.retryAfter().isZero() ? backoff : outcome.retryAfter();
            backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5)
                    : backoff.multipliedBy(2);
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        failedSpans.add(spans);
    }

    private OtlpSender sender() throws Exception {
        return options.protocol().equals("http") ? new OtlpSender.Http(options.endpoint(), options.key(), options.encoding(),
                options.httpVersion())
                : new OtlpSender.Grpc(options.endpoint(), options.key(), options.caCertificate());
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** Command-line options ({@code --name=value}). */
    record Options(String protocol, String endpoint, double rate, Duration duration, Duration warmup, int concurrency,
                   int batch,
                   TraceFactory.Mix mix, TraceFactory.Shape shape, List<String> tenants, String key, File caCertificate,
                   int maxRetries, Duration progress, Path out, long seed, boolean failOnLoss, Path latencyLog,
                   String encoding, String httpVersion) {
        static final String USAGE = """
                usage: benchmarks/loadgen [--name=value ...]
                  --protocol=grpc|http      OTLP transport (default grpc)
                  --endpoint=...            host:port for gRPC (default localhost:4317), URL for HTTP (http://localhost:4318)
                  --encoding=protobuf       HTTP bodies: protobuf, json, or mixed (each worker alternates)
                  --http-version=1.1        HTTP/1.1 (one keep-alive connection per worker) or 2 (h2c upgrade)
                  --rate=N                  spans per second over all workers (0 = as fast as acknowledged; default 1000)
                  --duration=60s            how long to send and measure (s, m)
                  --warmup=0s               send this long first without measuring (JIT, connections, pools warm up)
                  --concurrency=4           workers, each with one export in flight
                  --batch=200               spans per export (whole traces: a few more)
                  --dialects=otel:0.6,openinference:0.2,openllmetry:0.2
                  --shape=mixed|llm4        traces of 1-2 retrievals and 1-3 LLM calls (mixed), or always a root,
                                            one retrieval and two LLM calls: 4 spans (llm4)
                  --errors=0.02 --slow=0.05 --pii=0.05   shares of LLM calls that fail, are slow, carry PII
                  --tenants=a,b             tenants named in X-Scope-OrgID (with an operator key), round robin
                  --key=...                 API key (Authorization: Bearer); default $OBSERVATORY_API_KEY
                  --ca=cert.pem             trust this certificate and use TLS (gRPC)
                  --max-retries=10          retries of a batch on retryable answers (RetryInfo / Retry-After honoured)
                  --progress=5s --out=FILE --seed=1 --fail-on-loss=true
                  --latency-log=FILE        each measured export's start (epoch ms), latency (ms) and spans, as TSV
                """;

        static Options parse(String[] args) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String a : args) {
                if (!a.startsWith("--") || !a.contains("=")) {
                    throw new IllegalArgumentException("expected --name=value, got '" + a + "'");
                }
                m.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
            String protocol = m.getOrDefault("protocol", "grpc");
            if (!protocol.equals("grpc") && !protocol.equals("http")) {
                throw new IllegalArgumentException("--protocol must be grpc or http");
            }
            Map<String, Double> dialects = new LinkedHashMap<>(Map.of("otel", 0.6, "openinference", 0.2, "openllmetry", 0.2));
            if (m.containsKey("dialects")) {
                dialects.replaceAll((k, v) -> 0.0);
                for (String part : m.get("dialects").split(",")) {
                    String[] kv = part.split(":");
                    if (!dialects.containsKey(kv[0]) || kv.length != 2) {
                        throw new IllegalArgumentException("--dialects takes otel|openinference|openllmetry:share,...");
                    }
                    dialects.put(kv[0], Double.parseDouble(kv[1]));
                }
            }
            TraceFactory.Mix mix = new TraceFactory.Mix(dialects.get("otel"), dialects.get("openinference"),
                    dialects.get("openllmetry"), share(m, "errors", 0.02), share(m, "slow", 0.05), share(m, "pii", 0.05));
            String key = m.getOrDefault("key", System.getenv("OBSERVATORY_API_KEY"));
            List<String> tenants = m.containsKey("tenants") ? List.of(m.get("tenants").split(",")) : List.of();
            Options o = new Options(protocol,
                    m.getOrDefault("endpoint", protocol.equals("grpc") ? "localhost:4317" : "http://localhost:4318"),
                    Double.parseDouble(m.getOrDefault("rate", "1000")), duration(m.getOrDefault("duration", "60s")),
                    duration(m.getOrDefault("warmup", "0s")),
                    Integer.parseInt(m.getOrDefault("concurrency", "4")), Integer.parseInt(m.getOrDefault("batch", "200")),
                    mix, shape(m.getOrDefault("shape", "mixed")), tenants, key == null || key.isBlank() ? null : key,
                    m.containsKey("ca") ? new File(m.get("ca")) : null,
                    Integer.parseInt(m.getOrDefault("max-retries", "10")), duration(m.getOrDefault("progress", "5s")),
                    m.containsKey("out") ? Path.of(m.get("out")) : null, Long.parseLong(m.getOrDefault("seed", "1")),
                    Boolean.parseBoolean(m.getOrDefault("fail-on-loss", "true")),
                    m.containsKey("latency-log") ? Path.of(m.get("latency-log")) : null,
                    m.getOrDefault("encoding", "protobuf"), m.getOrDefault("http-version", "1.1"));
            if (!List.of("protobuf", "json", "mixed").contains(o.encoding())) {
                throw new IllegalArgumentException("--encoding must be protobuf, json or mixed");
            }
            if (!List.of("1.1", "2").contains(o.httpVersion())) {
                throw new IllegalArgumentException("--http-version must be 1.1 or 2");
            }
            if (o.concurrency() < 1 || o.batch() < 1) {
                throw new IllegalArgumentException("--concurrency and --batch must be at least 1");
            }
            if (o.warmup().isNegative()) {
                throw new IllegalArgumentException("--warmup must not be negative");
            }
            return o;
        }

        private static TraceFactory.Shape shape(String s) {
            return switch (s) {
                case "mixed" -> TraceFactory.Shape.MIXED;
                case "llm4" -> TraceFactory.Shape.LLM4;
                default -> throw new IllegalArgumentException("--shape must be mixed or llm4");
            };
        }

        private static double share(Map<String, String> m, String name, double dflt) {
            double v = Double.parseDouble(m.getOrDefault(name, String.valueOf(dflt)));
            if (v < 0 || v > 1) {
                throw new IllegalArgumentException("--" + name + " is a share between 0 and 1");
            }
            return v;
        }

        static Duration duration(String s) {
            if (!s.matches("-?\\d+(ms|s|m|h)")) {
                throw new IllegalArgumentException("durations end in ms, s, m or h: '" + s + "'");
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException("durations end in ms, s, m or h: '" + s + "'");
            };
        }
    }

}
