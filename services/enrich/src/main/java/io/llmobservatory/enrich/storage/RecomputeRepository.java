package io.llmobservatory.enrich.storage;

import io.llmobservatory.enrich.cost.Cost;
import io.llmobservatory.enrich.recompute.RecomputeJob;
import io.llmobservatory.enrich.recompute.StoredCall;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads stored calls page by page and rewrites their costs (calls and spans in one transaction per page). */
@ApplicationScoped
public class RecomputeRepository {
    /**
     * Keyset pagination over (time, tenant, trace_id, span_id). The model filter matches the model asked for (the
     * {@code model} column) or the one that answered and priced the call ({@code response_model}), so a price change
     * of {@code gpt-4o-mini-2024-07-18} re-prices the calls grouped under {@code gpt-4o-mini}.
     */
    static final String PAGE = """
            SELECT tenant, encode(trace_id, 'hex') AS trace_id, encode(span_id, 'hex') AS span_id, time, provider,
                   request_model, response_model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
                   reasoning_tokens, input_audio_tokens, output_audio_tokens, provided_cost_usd, cost_usd, cost_source, price_version, price_source
            FROM llm_calls
            WHERE time >= $1 AND time < $2
              AND ($3::text IS NULL OR tenant = $3)
              AND ($4::text IS NULL OR model = $4 OR response_model = $4)
              AND (time, tenant, trace_id, span_id) > ($5, $6, decode($7, 'hex'), decode($8, 'hex'))
            ORDER BY time, tenant, trace_id, span_id
            LIMIT $9
            """;
    /** Rewrites costs; {@code old_cost} is read in the same statement so rollups can be adjusted by the difference. */
    static final String UPDATE_CALLS = """
            WITH u AS (
                SELECT u.*, c.cost_usd AS old_cost, c.cost_source AS old_source, c.cost_disagrees AS old_disagrees
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                            $9::text[], $10::text[], $11::text[], $12::text[], $13::bool[], $14::timestamptz[])
                     AS u(tenant, trace_id, span_id, input_cost, cache_read_cost, cache_write_cost, output_cost,
                          reasoning_cost, cost, price_source, cost_source, price_version, disagrees, time)
                JOIN llm_calls c ON c.tenant = u.tenant AND c.trace_id = decode(u.trace_id, 'hex')
                                AND c.span_id = decode(u.span_id, 'hex') AND c.time = u.time
            ), updated AS (
                UPDATE llm_calls c
                SET input_cost_usd = u.input_cost::numeric, cache_read_cost_usd = u.cache_read_cost::numeric,
                    cache_write_cost_usd = u.cache_write_cost::numeric, output_cost_usd = u.output_cost::numeric,
                    reasoning_cost_usd = u.reasoning_cost::numeric, cost_usd = u.cost::numeric,
                    priced = u.cost IS NOT NULL, price_source = u.price_source, cost_source = u.cost_source,
                    price_version = u.price_version, cost_disagrees = u.disagrees, priced_at = now()
                FROM u
                WHERE c.tenant = u.tenant AND c.trace_id = decode(u.trace_id, 'hex') AND c.span_id = decode(u.span_id, 'hex')
                  AND c.time = u.time
                RETURNING c.time, c.tenant, c.model, c.provider, c.service_name, c.user_id, c.cost_usd, u.old_cost,
                          c.cost_source, u.old_source, c.cost_disagrees, u.old_disagrees
            )
            """;

    /**
     * The writer-maintained rollups follow a re-pricing by the difference each call's cost moved, whether or not the
     * drainer has added the call yet: a queued call keeps the cost it was inserted with and the rollups receive every
     * difference since, so rollups plus queue are the current costs, and once drained the rollups alone are. A delta
     * may so create a rollup row with no requests yet; every reader sums rows and keeps groups with requests.
     */
    static final String ROLLUP_DELTAS = ", " + delta("hour_delta", "llm_calls_1h", "hour") + ", " + modelDelta("model_hour_delta", "llm_calls_model_1h", "hour")
            + ", " + modelDelta("model_day_delta", "llm_calls_model_1d", "day")
            + ", " + modelDelta("model_minute_delta", "llm_calls_model_1m", "minute")
            + ", user_day_delta AS (INSERT INTO llm_calls_user_1d AS r (bucket, tenant, user_id, model, provider,"
            + " service_name, requests, input_tokens, output_tokens, cost_usd)"
            + " SELECT date_trunc('day', time), tenant, user_id, model, provider, service_name, 0, 0, 0,"
            + " sum(coalesce(cost_usd, 0) - coalesce(old_cost, 0))"
            + " FROM updated WHERE user_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6"
            + " ON CONFLICT" + RollupSql.USER_DAY_KEY + " DO UPDATE SET cost_usd = r.cost_usd + EXCLUDED.cost_usd)";

    private static String modelDelta(String cte, String table, String unit) {
        return cte + " AS (INSERT INTO " + table + " AS r" + RollupSql.MODEL_ROLLUP_COLUMNS
                + " SELECT date_trunc('" + unit + "', time), tenant, model, provider, service_name, 0, 0, 0, 0, 0, 0,"
                + " sum(coalesce(cost_usd, 0) - coalesce(old_cost, 0)), sum((cost_usd IS NULL)::int - (old_cost IS NULL)::int),"
                + " sum((cost_source = 'provided')::int - (old_source = 'provided')::int),"
                + " sum(cost_disagrees::int - old_disagrees::int), 0, 0, 0, 0, 0"
                + " FROM updated GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5"
                + " ON CONFLICT" + RollupSql.MODEL_ROLLUP_KEY + " DO UPDATE SET"
                + " cost_usd = r.cost_usd + EXCLUDED.cost_usd, unpriced = r.unpriced + EXCLUDED.unpriced,"
                + " provided_cost_requests = r.provided_cost_requests + EXCLUDED.provided_cost_requests,"
                + " cost_disagreements = r.cost_disagreements + EXCLUDED.cost_disagreements)";
    }

    private static String delta(String cte, String table, String unit) {
        return cte + " AS (INSERT INTO " + table + " AS r (bucket, tenant, model, provider, service_name, user_id,"
                + " requests, input_tokens, output_tokens, cache_read_tokens, cost_usd, unpriced, errors,"
                + " duration_ns_sum, duration_ns_max)"
                + " SELECT date_trunc('" + unit + "', time), tenant, model, provider, service_name, user_id, 0, 0, 0, 0,"
                + " sum(coalesce(cost_usd, 0) - coalesce(old_cost, 0)),"
                + " sum((cost_usd IS NULL)::int - (old_cost IS NULL)::int), 0, 0, 0"
                + " FROM updated GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6"
                + " ON CONFLICT" + RollupSql.USER_HOUR_KEY + " DO UPDATE SET"
                + " cost_usd = r.cost_usd + EXCLUDED.cost_usd, unpriced = r.unpriced + EXCLUDED.unpriced)";
    }

    static final String UPDATE_SPANS = """
            UPDATE spans s
            SET attributes = (s.attributes - $5::text[]) || u.cost_attributes::jsonb
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(tenant, trace_id, span_id, cost_attributes)
            WHERE s.tenant = u.tenant AND s.trace_id = decode(u.trace_id, 'hex') AND s.span_id = decode(u.span_id, 'hex')
            """;
    static final String INSERT_JOB = """
            INSERT INTO recompute_jobs (id, requested_by, range_from, range_to, tenant, model, status, price_versions)
            VALUES ($1, $2, $3, $4, $5, $6, 'running', $7)
            RETURNING requested_at
            """;
    static final String PROGRESS = """
            UPDATE recompute_jobs SET calls_seen = $2, calls_changed = $3, cost_before = $4::numeric,
                                      cost_after = $5::numeric
            WHERE id = $1
            """;
    static final String FINISH = """
            UPDATE recompute_jobs SET status = $2, error = $3, finished_at = now() WHERE id = $1
            """;
    static final String SELECT_JOB = """
            SELECT id, requested_at, requested_by, range_from, range_to, tenant, model, status, calls_seen,
                   calls_changed, cost_before, cost_after, price_versions, finished_at, error
            FROM recompute_jobs
            """;

    /** A page cursor: the last row's key. */
    public record Cursor(Instant time, String tenant, String traceId, String spanId) {
        public static final Cursor START = new Cursor(Instant.EPOCH, "", "", "");
    }

    /** A call's new cost and the span attributes that show it. */
    public record Repriced(StoredCall call, Cost cost, java.util.Map<String, Object> spanAttributes) {
    }

    private final Pool pool;
    private final String updateCalls;

    public RecomputeRepository(Pool pool) {
        this.pool = pool;
        this.updateCalls = UPDATE_CALLS.strip() + ROLLUP_DELTAS + " SELECT count(*) FROM updated";
    }

    public Uni<List<StoredCall>> page(Instant from, Instant to, String tenant, String model, Cursor after, int limit) {
        Tuple args = Tuple.wrap(new ArrayList<>(Arrays.asList(utc(from), utc(to), tenant, model, utc(after.time()),
                after.tenant(), after.traceId(), after.spanId(), limit)));
        return pool.preparedQuery(PAGE).execute(args).map(rows -> {
            List<StoredCall> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new StoredCall(r.getString("tenant"), r.getString("trace_id"), r.getString("span_id"),
                        r.getOffsetDateTime("time").toInstant(), r.getString("provider"), r.getString("request_model"),
                        r.getString("response_model"), r.getLong("input_tokens"), r.getLong("output_tokens"),
                        r.getLong("cache_read_tokens"), r.getLong("cache_write_tokens"), r.getLong("reasoning_tokens"),
                        r.getLong("input_audio_tokens"), r.getLong("output_audio_tokens"),
                        r.getBigDecimal("provided_cost_usd"), r.getBigDecimal("cost_usd"), r.getString("cost_source"),
                        r.getString("price_version"), r.getString("price_source")));
            }
            return out;
        });
    }

    /** Rewrites the costs of calls and their spans in one transaction. */
    public Uni<Void> apply(List<Repriced> changes, List<String> costAttributeKeys) {
        if (changes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = changes.size();
        String[] tenant = new String[n], trace = new String[n], span = new String[n], input = new String[n];
        String[] cacheRead = new String[n], cacheWrite = new String[n], output = new String[n], reasoning = new String[n];
        String[] cost = new String[n], priceSource = new String[n], costSource = new String[n], version = new String[n];
        String[] attributes = new String[n];
        Boolean[] disagrees = new Boolean[n];
        OffsetDateTime[] time = new OffsetDateTime[n];
        JsonText.Batch json = new JsonText.Batch();
        for (int i = 0; i < n; i++) {
            Repriced r = changes.get(i);
            tenant[i] = r.call().tenant();
            trace[i] = r.call().traceId();
            span[i] = r.call().spanId();
            input[i] = plain(r.cost().input());
            cacheRead[i] = plain(r.cost().cacheRead());
            cacheWrite[i] = plain(r.cost().cacheWrite());
            output[i] = plain(r.cost().output());
            reasoning[i] = plain(r.cost().reasoning());
            cost[i] = plain(r.cost().total());
            priceSource[i] = r.cost().entry();
            costSource[i] = r.cost().source().label();
            version[i] = r.cost().version();
            disagrees[i] = r.cost().disagrees();
            time[i] = utc(r.call().time());
            attributes[i] = json.attributes(io.llmobservatory.shared.model.Attributes.of(r.spanAttributes()));
        }
        Tuple calls = Tuple.wrap(new ArrayList<>(List.of(tenant, trace, span, input, cacheRead, cacheWrite, output,
                reasoning, cost, priceSource, costSource, version, disagrees, time)));
        Tuple spans = Tuple.wrap(new ArrayList<>(List.of(tenant, trace, span, attributes,
                costAttributeKeys.toArray(String[]::new))));
        return pool.withTransaction(conn -> conn.preparedQuery(updateCalls).execute(calls)
                .chain(() -> conn.preparedQuery(UPDATE_SPANS).execute(spans))).replaceWithVoid();
    }

    public Uni<RecomputeJob> createJob(UUID id, String requestedBy, Instant from, Instant to, String tenant, String model,
                                       String priceVersions) {
        return pool.preparedQuery(INSERT_JOB)
                .execute(Tuple.wrap(new ArrayList<>(Arrays.asList(id, requestedBy, utc(from), utc(to), tenant, model,
                        priceVersions))))
                .map(rows -> new RecomputeJob(id, rows.iterator().next().getOffsetDateTime("requested_at").toInstant(),
                        requestedBy, from, to, tenant, model, RecomputeJob.RUNNING, 0, 0, null, null, priceVersions,
                        null, null));
    }

    public Uni<Void> progress(UUID id, long seen, long changed, BigDecimal before, BigDecimal after) {
        return pool.preparedQuery(PROGRESS).execute(Tuple.of(id, seen, changed, before, after))
                .replaceWithVoid();
    }

    public Uni<Void> finish(UUID id, String status, String error) {
        return pool.preparedQuery(FINISH).execute(Tuple.of(id, status, error)).replaceWithVoid();
    }

    /** The job, if it exists and was run for {@code tenant} (any job when {@code tenant} is null: the operator). */
    public Uni<Optional<RecomputeJob>> job(UUID id, String tenant) {
        return pool.preparedQuery(SELECT_JOB + " WHERE id = $1 AND ($2::text IS NULL OR tenant = $2)")
                .execute(Tuple.of(id, tenant))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toJob(rows.iterator().next())));
    }

    /** The latest jobs run for {@code tenant} (every job when null: the operator). */
    public Uni<List<RecomputeJob>> recentJobs(int limit, String tenant) {
        return pool.preparedQuery(SELECT_JOB + " WHERE ($2::text IS NULL OR tenant = $2) ORDER BY requested_at DESC LIMIT $1")
                .execute(Tuple.of(limit, tenant))
                .map(rows -> {
                    List<RecomputeJob> out = new ArrayList<>();
                    rows.forEach(r -> out.add(toJob(r)));
                    return out;
                });
    }

    private static RecomputeJob toJob(Row r) {
        return new RecomputeJob(r.getUUID("id"), instant(r.getOffsetDateTime("requested_at")), r.getString("requested_by"),
                instant(r.getOffsetDateTime("range_from")), instant(r.getOffsetDateTime("range_to")), r.getString("tenant"),
                r.getString("model"), r.getString("status"), r.getLong("calls_seen"), r.getLong("calls_changed"),
                r.getBigDecimal("cost_before"), r.getBigDecimal("cost_after"), r.getString("price_versions"),
                instant(r.getOffsetDateTime("finished_at")), r.getString("error"));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    private static String plain(BigDecimal v) {
        return v == null ? null : v.toPlainString();
    }
}
