package io.llmobservatory.enrich.storage;

import io.llmobservatory.enrich.config.EnrichConfig;
import io.llmobservatory.shared.model.SpanRecord;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes spans and LLM-call facts of a batch in one statement (so one transaction): a multi-row insert per table
 * (arrays unnested server-side; ids as bytea, not hex text), idempotent on (tenant, trace_id, span_id).
 */
@ApplicationScoped
public class TraceRepository {

    static final String INSERT_SPANS = """
            INSERT INTO spans (tenant, trace_id, span_id, parent_span_id, trace_state, flags, name, kind,
                               start_time, start_time_unix_nano, end_time_unix_nano, duration_ns,
                               status_code, status_message, service_name, attributes, dropped_attributes_count,
                               events, dropped_events_count, links, dropped_links_count,
                               resource_attributes, scope_name, scope_version, scope_attributes)
            SELECT $1, t.trace_id, t.span_id, t.parent_span_id,
                   t.trace_state, t.flags, t.name, t.kind::smallint,
                   timestamptz 'epoch' + (t.start_ns / 1000) * interval '1 microsecond',
                   t.start_ns, t.end_ns, t.end_ns - t.start_ns,
                   t.status_code::smallint, t.status_message, t.service_name, t.attributes::jsonb, t.dropped_attributes,
                   t.events::jsonb, t.dropped_events, t.links::jsonb, t.dropped_links,
                   t.resource::jsonb, t.scope_name, t.scope_version, t.scope_attributes::jsonb
            FROM unnest($2::bytea[], $3::bytea[], $4::bytea[], $5::text[], $6::int4[], $7::text[], $8::int4[],
                        $9::int8[], $10::int8[], $11::int4[], $12::text[], $13::text[], $14::text[], $15::int4[],
                        $16::text[], $17::int4[], $18::text[], $19::int4[], $20::text[], $21::text[], $22::text[],
                        $23::text[])
                 AS t(trace_id, span_id, parent_span_id, trace_state, flags, name, kind,
                      start_ns, end_ns, status_code, status_message, service_name, attributes, dropped_attributes,
                      events, dropped_events, links, dropped_links, resource, scope_name, scope_version,
                      scope_attributes)
            ON CONFLICT DO NOTHING
            """;

    static final String INSERT_CALLS = """
            INSERT INTO llm_calls (tenant, trace_id, span_id, time, service_name, provider, operation,
                                   request_model, response_model, model, input_tokens, output_tokens, total_tokens,
                                   cache_read_tokens, cache_write_tokens, reasoning_tokens,
                                   input_cost_usd, cache_read_cost_usd, cache_write_cost_usd, output_cost_usd,
                                   reasoning_cost_usd, cost_usd, priced, price_source, cost_source, price_version,
                                   provided_cost_usd, cost_disagrees, finish_reasons, status_code, error_type,
                                   duration_ns, ttft_ms, tokens_per_second, user_id, session_id, dialect, source_keys,
                                   provider_inferred, input_audio_tokens, output_audio_tokens)
            SELECT $1, t.trace_id, t.span_id,
                   timestamptz 'epoch' + (t.start_ns / 1000) * interval '1 microsecond',
                   t.service_name, t.provider, t.operation, t.request_model, t.response_model, t.model,
                   t.input_tokens, t.output_tokens, t.total_tokens, t.cache_read_tokens, t.cache_write_tokens,
                   t.reasoning_tokens, t.input_cost::numeric, t.cache_read_cost::numeric, t.cache_write_cost::numeric,
                   t.output_cost::numeric, t.reasoning_cost::numeric, t.cost::numeric, t.cost IS NOT NULL,
                   t.price_source, t.cost_source, t.price_version, t.provided_cost::numeric, t.cost_disagrees,
                   ARRAY(SELECT jsonb_array_elements_text(t.finish_reasons::jsonb)),
                   t.status_code::smallint, t.error_type, t.duration_ns, t.ttft_ms, t.tokens_per_second,
                   t.user_id, t.session_id, t.dialect, ARRAY(SELECT jsonb_array_elements_text(t.source_keys::jsonb)),
                   t.provider_inferred, t.input_audio_tokens, t.output_audio_tokens
            FROM unnest($2::bytea[], $3::bytea[], $4::int8[], $5::text[], $6::text[], $7::text[], $8::text[],
                        $9::text[], $10::text[], $11::int8[], $12::int8[], $13::int8[], $14::int8[], $15::int8[],
                        $16::int8[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::text[],
                        $23::text[], $24::text[], $25::text[], $26::text[], $27::bool[], $28::text[], $29::int4[],
                        $30::text[], $31::int8[], $32::float8[], $33::float8[], $34::text[], $35::text[], $36::text[],
                        $37::text[], $38::bool[], $39::int8[], $40::int8[])
                 AS t(trace_id, span_id, start_ns, service_name, provider, operation, request_model,
                      response_model, model, input_tokens, output_tokens, total_tokens, cache_read_tokens,
                      cache_write_tokens, reasoning_tokens, input_cost, cache_read_cost, cache_write_cost, output_cost,
                      reasoning_cost, cost, price_source, cost_source, price_version, provided_cost, cost_disagrees,
                      finish_reasons, status_code, error_type, duration_ns, ttft_ms, tokens_per_second, user_id,
                      session_id, dialect, source_keys, provider_inferred, input_audio_tokens, output_audio_tokens)
            ON CONFLICT DO NOTHING
            """;

    /** The columns the rollups are made of, as the insert returns them and the rollup queue (V10) holds them. */
    static final String ROLLUP_INPUT = "time, tenant, model, provider, service_name, user_id, input_tokens, output_tokens,"
            + " cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, cost_source, cost_disagrees,"
            + " status_code, duration_ns, tokens_per_second";

    /**
     * The rollups are maintained by {@link RollupDrainer} (on both layouts): this statement only appends each call
     * it actually inserted (RETURNING skips conflicts, so a retried batch adds nothing) to the rollup queue, in the
     * same transaction as the call. An append locks no shared row: the rollup upserts used to run here, taking the
     * same hot rollup rows in every batch, and cost about a quarter of PostgreSQL's work per span (docs/benchmarks.md).
     */
    static final String INSERT_CALLS_QUEUED = "WITH inserted AS (" + INSERT_CALLS.strip() + " RETURNING " + ROLLUP_INPUT
            + "), queued AS (INSERT INTO llm_call_rollup_queue (" + ROLLUP_INPUT + ") SELECT " + ROLLUP_INPUT
            + " FROM inserted) SELECT count(*) FROM inserted";

    /** Parameters of {@link #INSERT_SPANS} after the tenant ($1): the calls' arrays follow them in {@link #both}. */
    static final int SPAN_ARRAYS = 22;

    /**
     * Spans and calls (and their rollup queue rows) in one statement:
     * data-modifying CTEs all run to completion in the statement's own transaction, so the batch is as atomic as
     * with BEGIN/COMMIT, without their round trips, and rows other batches also update (the histograms) are locked
     * only until this statement commits instead of until the client's COMMIT arrives (benchmarks/pipeline:
     * transactions were found waiting on enrich for COMMIT while other batches waited for rollup row locks).
     * PostgreSQL runs data-modifying CTEs the main query does not read after it (ExecPostprocessPlan; the
     * documentation leaves the order unspecified, the lock-wait samples in docs/benchmarks.md confirm it), so the main
     * query reads the spans and then the calls, and the other CTEs come last. Correctness does not depend on the
     * order, only how long shared rows stay locked.
     */
    static String both(String insertCalls) {
        if (!insertCalls.startsWith("WITH ")) {
            throw new IllegalArgumentException("the calls statement must start with its CTEs");
        }
        String renumbered = Pattern.compile("\\$(\\d+)").matcher(insertCalls).replaceAll(m -> {
            int n = Integer.parseInt(m.group(1));
            return "\\$" + (n == 1 ? 1 : n + SPAN_ARRAYS);
        });
        String tail = " SELECT count(*) FROM inserted";
        if (!renumbered.endsWith(tail)) {
            throw new IllegalArgumentException("the calls statement must end with" + tail);
        }
        // The main query reads the spans first, then the calls; the CTEs read by nothing run to completion after it.
        return "WITH stored_spans AS (" + INSERT_SPANS.strip() + " RETURNING 1), "
                + renumbered.substring("WITH ".length(), renumbered.length() - tail.length())
                + " SELECT (SELECT count(*) FROM stored_spans), (SELECT count(*) FROM inserted)";
    }

    private final Pool pool;
    private final Duration timeout;
    private final String insertCalls;
    private final String insertBoth;

    public TraceRepository(Pool pool, EnrichConfig config) {
        this.pool = pool;
        this.timeout = Duration.ofSeconds(config.storage().writeTimeoutSeconds());
        this.insertCalls = INSERT_CALLS_QUEUED;
        this.insertBoth = both(insertCalls);
    }

    /** Stores the batch atomically; completes only once it is committed. Fails with {@link StorageException}. */
    public Uni<Void> store(String tenant, List<SpanRecord> spans, List<PricedCall> calls) {
        if (spans.isEmpty() && calls.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String sql;
        Tuple rows;
        if (calls.isEmpty()) {
            sql = INSERT_SPANS;
            rows = SpanRowMapper.toTuple(tenant, spans);
        } else if (spans.isEmpty()) {
            sql = insertCalls;
            rows = LlmCallRowMapper.toTuple(tenant, calls);
        } else {
            sql = insertBoth;
            rows = SpanRowMapper.toTuple(tenant, spans);
            Tuple callRows = LlmCallRowMapper.toTuple(tenant, calls);
            for (int i = 1; i < callRows.size(); i++) {
                rows.addValue(callRows.getValue(i));
            }
        }
        // One statement, so one implicit transaction: committed when it completes.
        return pool.preparedQuery(sql).execute(rows)
                .ifNoItem().after(timeout).failWith(() -> new StorageException(
                        "database write timed out after " + timeout.toSeconds() + "s", true, null))
                .onFailure(f -> !(f instanceof StorageException)).transform(TraceRepository::classify)
                .replaceWithVoid();
    }

    /** Data and constraint errors (SQLSTATE classes 22, 23) are permanent; everything else may pass on retry. */
    static StorageException classify(Throwable failure) {
        if (failure instanceof PgException pg && pg.getSqlState() != null
                && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"))) {
            return new StorageException("database refused the batch: " + pg.getErrorMessage(), false, pg);
        }
        return new StorageException("database unavailable: " + failure.getMessage(), true, failure);
    }
}
