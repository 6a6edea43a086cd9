package io.llmobservatory.enrich.storage;

import io.llmobservatory.shared.model.MetricPoint;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** Writes metric data points, one multi-row statement per batch, idempotent on (tenant, name, series, time). */
@ApplicationScoped
public class MetricRepository {
    /** The GenAI dimensions of a point, null for other metrics. */
    public record GenAiDims(String provider, String model, String operation, String tokenType) {
        public static final GenAiDims NONE = new GenAiDims(null, null, null, null);
    }

    /** A point and its GenAI dimensions. */
    public record Row(MetricPoint point, GenAiDims dims) {
    }

    static final String INSERT = """
            INSERT INTO metric_points (tenant, name, series_id, time_unix_nano, time, start_time_unix_nano, description,
                unit, type, temporality, monotonic, service_name, attributes, resource_attributes, scope_name,
                scope_version, value_double, value_int, count, sum, min, max, bucket_counts, explicit_bounds,
                exponential, quantiles, exemplars, exemplar_trace_ids, flags, gen_ai_provider, gen_ai_model,
                gen_ai_operation, gen_ai_token_type)
            SELECT $1, t.name, decode(t.series_id, 'hex'), t.time_ns,
                   timestamptz 'epoch' + (t.time_ns / 1000) * interval '1 microsecond', t.start_ns, t.description,
                   t.unit, t.type, t.temporality::smallint, t.monotonic, t.service_name, t.attributes::jsonb,
                   t.resource::jsonb, t.scope_name, t.scope_version, t.value_double, t.value_int, t.count, t.sum, t.min,
                   t.max,
                   CASE WHEN t.bucket_counts IS NULL THEN NULL
                        ELSE ARRAY(SELECT x::bigint FROM jsonb_array_elements_text(t.bucket_counts::jsonb) x) END,
                   CASE WHEN t.explicit_bounds IS NULL THEN NULL
                        ELSE ARRAY(SELECT x::float8 FROM jsonb_array_elements_text(t.explicit_bounds::jsonb) x) END,
                   t.exponential::jsonb, t.quantiles::jsonb, t.exemplars::jsonb,
                   ARRAY(SELECT jsonb_array_elements_text(t.exemplar_trace_ids::jsonb)), t.flags, t.gen_ai_provider,
                   t.gen_ai_model, t.gen_ai_operation, t.gen_ai_token_type
            FROM unnest($2::text[], $3::text[], $4::int8[], $5::int8[], $6::text[], $7::text[], $8::text[], $9::int4[],
                        $10::bool[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::float8[],
                        $17::int8[], $18::int8[], $19::float8[], $20::float8[], $21::float8[], $22::text[], $23::text[],
                        $24::text[], $25::text[], $26::text[], $27::text[], $28::int4[], $29::text[], $30::text[],
                        $31::text[], $32::text[])
                 AS t(name, series_id, time_ns, start_ns, description, unit, type, temporality, monotonic, service_name,
                      attributes, resource, scope_name, scope_version, value_double, value_int, count, sum, min, max,
                      bucket_counts, explicit_bounds, exponential, quantiles, exemplars, exemplar_trace_ids, flags,
                      gen_ai_provider, gen_ai_model, gen_ai_operation, gen_ai_token_type)
            ON CONFLICT DO NOTHING
            """;

    private final Pool pool;

    public MetricRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> store(String tenant, List<Row> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = rows.size();
        String[] name = new String[n], series = new String[n], description = new String[n], unit = new String[n];
        String[] type = new String[n], service = new String[n], attributes = new String[n], resource = new String[n];
        String[] scopeName = new String[n], scopeVersion = new String[n], buckets = new String[n], bounds = new String[n];
        String[] exponential = new String[n], quantiles = new String[n], exemplars = new String[n], traceIds = new String[n];
        String[] provider = new String[n], model = new String[n], operation = new String[n], tokenType = new String[n];
        Long[] time = new Long[n], start = new Long[n], valueInt = new Long[n], count = new Long[n];
        Double[] valueDouble = new Double[n], sum = new Double[n], min = new Double[n], max = new Double[n];
        Integer[] temporality = new Integer[n], flags = new Integer[n];
        Boolean[] monotonic = new Boolean[n];
        JsonText.Batch json = new JsonText.Batch();
        for (int i = 0; i < n; i++) {
            MetricPoint p = rows.get(i).point();
            GenAiDims d = rows.get(i).dims();
            name[i] = JsonText.text(p.name());
            attributes[i] = json.attributes(p.attributes());
            resource[i] = json.sharedAttributes(p.resourceAttributes());
            series[i] = ContentHash.of(p.name(), p.type(), p.unit(), resource[i], p.scope().name(), p.scope().version(),
                    attributes[i]);
            time[i] = p.timeUnixNano();
            start[i] = p.startTimeUnixNano();
            description[i] = JsonText.text(p.description());
            unit[i] = JsonText.text(p.unit());
            type[i] = p.type();
            temporality[i] = p.temporality();
            monotonic[i] = p.monotonic();
            service[i] = JsonText.text(p.serviceName());
            scopeName[i] = JsonText.text(p.scope().name());
            scopeVersion[i] = JsonText.text(p.scope().version());
            valueDouble[i] = p.doubleValue();
            valueInt[i] = p.longValue();
            count[i] = p.count();
            sum[i] = p.sum();
            min[i] = p.min();
            max[i] = p.max();
            buckets[i] = JsonText.value(p.bucketCounts());
            // NaN and infinities are written as strings, which float8 casts accept
            bounds[i] = JsonText.value(p.explicitBounds());
            exponential[i] = JsonText.value(p.exponential());
            quantiles[i] = JsonText.value(p.quantiles());
            exemplars[i] = JsonText.value(p.exemplars() == null ? List.of() : p.exemplars());
            traceIds[i] = JsonText.value(p.exemplars() == null ? List.of() : p.exemplars().stream()
                    .map(e -> String.valueOf(e.get("traceId"))).filter(t -> !t.isEmpty()).distinct().toList());
            flags[i] = p.flags();
            provider[i] = d.provider();
            model[i] = JsonText.text(d.model());
            operation[i] = d.operation();
            tokenType[i] = d.tokenType();
        }
        Tuple args = Tuple.wrap(new ArrayList<>(List.of(tenant, name, series, time, start, description, unit, type,
                temporality, monotonic, service, attributes, resource, scopeName, scopeVersion, valueDouble, valueInt,
                count, sum, min, max, buckets, bounds, exponential, quantiles, exemplars, traceIds, flags, provider, model,
                operation, tokenType)));
        return pool.preparedQuery(INSERT).execute(args).replaceWithVoid()
                .onFailure(f -> !(f instanceof StorageException)).transform(TraceRepository::classify);
    }
}
