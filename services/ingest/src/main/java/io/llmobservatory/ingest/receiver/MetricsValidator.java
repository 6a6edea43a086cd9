package io.llmobservatory.ingest.receiver;

import com.google.protobuf.ByteString;
import io.llmobservatory.shared.otlp.OtlpIds;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.function.Function;

/** Checks metric data points against the OTLP data model; counts and names what it rejects, per data point. */
@ApplicationScoped
public class MetricsValidator implements Validator<ExportMetricsServiceRequest> {

    @Override
    public ValidatedBatch<ExportMetricsServiceRequest> validate(ExportMetricsServiceRequest request) {
        int total = 0;
        int rejected = 0;
        String first = null;
        for (int r = 0; r < request.getResourceMetricsCount(); r++) {
            ResourceMetrics rm = request.getResourceMetrics(r);
            for (int s = 0; s < rm.getScopeMetricsCount(); s++) {
                ScopeMetrics sm = rm.getScopeMetrics(s);
                for (int m = 0; m < sm.getMetricsCount(); m++) {
                    Metric metric = sm.getMetrics(m);
                    List<String> problems = problems(metric);
                    total += problems.size();
                    for (int p = 0; p < problems.size(); p++) {
                        if (problems.get(p) != null) {
                            rejected++;
                            if (first == null) {
                                first = "resourceMetrics[" + r + "].scopeMetrics[" + s + "].metrics[" + m + "] \""
                                        + metric.getName() + "\" dataPoints[" + p + "]: " + problems.get(p);
                            }
                        }
                    }
                }
            }
        }
        if (rejected == 0) {
            return new ValidatedBatch<>(request, total, 0, null);
        }
        ExportMetricsServiceRequest.Builder kept = ExportMetricsServiceRequest.newBuilder();
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            ResourceMetrics.Builder keptResource = rm.toBuilder().clearScopeMetrics();
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                ScopeMetrics.Builder keptScope = sm.toBuilder().clearMetrics();
                for (Metric metric : sm.getMetricsList()) {
                    Metric valid = withValidPoints(metric, problems(metric));
                    if (valid != null) {
                        keptScope.addMetrics(valid);
                    }
                }
                if (keptScope.getMetricsCount() > 0) {
                    keptResource.addScopeMetrics(keptScope);
                }
            }
            if (keptResource.getScopeMetricsCount() > 0) {
                kept.addResourceMetrics(keptResource);
            }
        }
        return new ValidatedBatch<>(kept.build(), total - rejected, rejected, first);
    }

    /** One entry per data point: null when valid, else the problem. */
    static List<String> problems(Metric m) {
        String metricProblem = m.getName().isBlank() ? "metric name must not be empty" : null;
        return switch (m.getDataCase()) {
            case GAUGE -> check(m.getGauge().getDataPointsList(), metricProblem, MetricsValidator::number);
            case SUM -> check(m.getSum().getDataPointsList(), metricProblem, MetricsValidator::number);
            case HISTOGRAM -> check(m.getHistogram().getDataPointsList(), metricProblem, MetricsValidator::histogram);
            case EXPONENTIAL_HISTOGRAM -> check(m.getExponentialHistogram().getDataPointsList(), metricProblem,
                    MetricsValidator::exponential);
            case SUMMARY -> check(m.getSummary().getDataPointsList(), metricProblem, MetricsValidator::summary);
            default -> List.of();
        };
    }

    private static <P> List<String> check(List<P> points, String metricProblem, Function<P, String> rule) {
        return points.stream().map(p -> metricProblem != null ? metricProblem : rule.apply(p))
                .collect(java.util.stream.Collectors.toList());
    }

    private static String times(long start, long time) {
        if (time <= 0) {
            return time == 0 ? "time_unix_nano must be set" : "time_unix_nano is out of range";
        }
        if (start < 0 || start > time) {
            return "start_time_unix_nano (" + start + ") must not be after time_unix_nano (" + time + ")";
        }
        return null;
    }

    private static String exemplars(List<Exemplar> exemplars) {
        for (int i = 0; i < exemplars.size(); i++) {
            Exemplar e = exemplars.get(i);
            if (!validOrEmpty(e.getTraceId(), OtlpIds.TRACE_ID_BYTES) || !validOrEmpty(e.getSpanId(), OtlpIds.SPAN_ID_BYTES)) {
                return "exemplars[" + i + "] must have an empty or 16-byte trace_id and an empty or 8-byte span_id";
            }
        }
        return null;
    }

    static boolean validOrEmpty(ByteString id, int size) {
        return id.isEmpty() || id.size() == size;
    }

    private static String number(NumberDataPoint p) {
        String t = times(p.getStartTimeUnixNano(), p.getTimeUnixNano());
        if (t != null) {
            return t;
        }
        if (p.getValueCase() == NumberDataPoint.ValueCase.VALUE_NOT_SET) {
            return "value must be set (as_int or as_double)";
        }
        return exemplars(p.getExemplarsList());
    }

    private static String histogram(HistogramDataPoint p) {
        String t = times(p.getStartTimeUnixNano(), p.getTimeUnixNano());
        if (t != null) {
            return t;
        }
        if (p.getBucketCountsCount() > 0 && p.getBucketCountsCount() != p.getExplicitBoundsCount() + 1) {
            return "bucket_counts must have one more entry than explicit_bounds (" + p.getBucketCountsCount() + " vs "
                    + p.getExplicitBoundsCount() + ")";
        }
        long sum = 0;
        for (long c : p.getBucketCountsList()) {
            sum += c;
        }
        if (p.getBucketCountsCount() > 0 && sum != p.getCount()) {
            return "count (" + p.getCount() + ") must equal the sum of bucket_counts (" + sum + ")";
        }
        for (int i = 1; i < p.getExplicitBoundsCount(); i++) {
            if (!(p.getExplicitBounds(i) > p.getExplicitBounds(i - 1))) {
                return "explicit_bounds must be strictly increasing";
            }
        }
        return exemplars(p.getExemplarsList());
    }

    private static String exponential(ExponentialHistogramDataPoint p) {
        String t = times(p.getStartTimeUnixNano(), p.getTimeUnixNano());
        if (t != null) {
            return t;
        }
        if (p.getScale() < -10 || p.getScale() > 20) {
            return "scale " + p.getScale() + " is outside -10..20";
        }
        long sum = p.getZeroCount();
        for (long c : p.getPositive().getBucketCountsList()) {
            sum += c;
        }
        for (long c : p.getNegative().getBucketCountsList()) {
            sum += c;
        }
        if (sum != p.getCount()) {
            return "count (" + p.getCount() + ") must equal zero_count plus the bucket counts (" + sum + ")";
        }
        return exemplars(p.getExemplarsList());
    }

    private static String summary(SummaryDataPoint p) {
        String t = times(p.getStartTimeUnixNano(), p.getTimeUnixNano());
        if (t != null) {
            return t;
        }
        for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
            if (!(q.getQuantile() >= 0 && q.getQuantile() <= 1)) {
                return "quantile " + q.getQuantile() + " is outside 0..1";
            }
        }
        return null;
    }

    private static Metric withValidPoints(Metric m, List<String> problems) {
        Metric.Builder b = m.toBuilder();
        int kept;
        switch (m.getDataCase()) {
            case GAUGE -> {
                b.getGaugeBuilder().clearDataPoints();
                for (int i = 0; i < problems.size(); i++) {
                    if (problems.get(i) == null) {
                        b.getGaugeBuilder().addDataPoints(m.getGauge().getDataPoints(i));
                    }
                }
                kept = b.getGaugeBuilder().getDataPointsCount();
            }
            case SUM -> {
                b.getSumBuilder().clearDataPoints();
                for (int i = 0; i < problems.size(); i++) {
                    if (problems.get(i) == null) {
                        b.getSumBuilder().addDataPoints(m.getSum().getDataPoints(i));
                    }
                }
                kept = b.getSumBuilder().getDataPointsCount();
            }
            case HISTOGRAM -> {
                b.getHistogramBuilder().clearDataPoints();
                for (int i = 0; i < problems.size(); i++) {
                    if (problems.get(i) == null) {
                        b.getHistogramBuilder().addDataPoints(m.getHistogram().getDataPoints(i));
                    }
                }
                kept = b.getHistogramBuilder().getDataPointsCount();
            }
            case EXPONENTIAL_HISTOGRAM -> {
                b.getExponentialHistogramBuilder().clearDataPoints();
                for (int i = 0; i < problems.size(); i++) {
                    if (problems.get(i) == null) {
                        b.getExponentialHistogramBuilder().addDataPoints(m.getExponentialHistogram().getDataPoints(i));
                    }
                }
                kept = b.getExponentialHistogramBuilder().getDataPointsCount();
            }
            case SUMMARY -> {
                b.getSummaryBuilder().clearDataPoints();
                for (int i = 0; i < problems.size(); i++) {
                    if (problems.get(i) == null) {
                        b.getSummaryBuilder().addDataPoints(m.getSummary().getDataPoints(i));
                    }
                }
                kept = b.getSummaryBuilder().getDataPointsCount();
            }
            default -> kept = 0;
        }
        return kept > 0 ? b.build() : null;
    }
}
