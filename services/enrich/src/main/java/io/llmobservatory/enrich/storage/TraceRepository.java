package io.llmobservatory.enrich.storage;

import io.llmobservatory.enrich.config.EnrichConfig;
import io.llmobservatory.enrich.genai.LlmCall;
import io.llmobservatory.shared.model.SpanRecord;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
            """;

    /** The columns the rollups are made of, as the insert returns them and the rollup queue (V10) holds them. */
    static final String ROLLUP_INPUT = "time, tenant, model, provider, service_name, user_id, input_tokens, output_tokens,"
            + " cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, cost_source, cost_disagrees,"
            + " status_code, duration_ns, tokens_per_second";

    /**
     * The idempotency key, (tenant, trace_id, span_id) whatever the span's time: a unique key of the partitioned tables
     * would have to hold their time column (both layouts require it), so a span re-sent with another start time would
     * pass it; the tables have none (V18). One key row per trace (V19) lists the span ids whose rows are stored
     * ({@code spans}: the spans row; {@code calls}: the LLM-call row; with tail sampling a call is stored at once and
     * its span later, when the trace is kept), so a trace whose spans arrive together costs one random B-tree entry,
     * not one per span. This claims the batch's rows first: a new trace key, or a key lacking a row the batch brings,
     * is written and returned with the span ids this statement newly claimed (an update records them in
     * {@code spans_claimed}/{@code calls_claimed}, as RETURNING sees only the new row; an insert leaves those NULL:
     * everything it holds is new); a key that has every row the batch brings is not updated and not returned. Only
     * rows claimed here are stored. A concurrent batch claiming the same trace waits for this one's commit and then
     * sees what it stored. Keys are claimed in trace id order, so two batches lock the traces they share in one order.
     * A key's time is at least the latest of its rows' (a span re-stamped after its call was stored moves it):
     * maintenance deletes a key only once no chunk can hold a row of that time. A key's lists stop growing at
     * {@link #KEY_LIST_LIMIT} ids ({@code overflow}; claims rewrite them, so a trace growing batch after batch would
     * cost its size squared): the span ids it returns then are claimed one key row each ({@link #INSERT_OVERFLOW_KEYS}).
     */
    static final String INSERT_KEYS = keysSql();

    /** The most span ids a trace key lists in each of {@code spans} and {@code calls} before it overflows (V19). */
    static final int KEY_LIST_LIMIT = 256;

    private static String keysSql() {
        String newSpans = "ARRAY(SELECT unnest(excluded.spans) EXCEPT SELECT unnest(k.spans))";
        String newCalls = "ARRAY(SELECT unnest(excluded.calls) EXCEPT SELECT unnest(k.calls))";
        String overflows = "(k.overflow OR cardinality(k.spans) + cardinality(" + newSpans + ") > " + KEY_LIST_LIMIT
                + " OR cardinality(k.calls) + cardinality(" + newCalls + ") > " + KEY_LIST_LIMIT + ")";
        return """
                INSERT INTO trace_keys AS k (tenant, trace_id, time, spans, calls)
                SELECT $1, b.trace_id, timestamptz 'epoch' + (max(b.start_ns) / 1000) * interval '1 microsecond',
                       coalesce(array_agg(b.span_id) FILTER (WHERE b.span), '{}'),
                       coalesce(array_agg(b.span_id) FILTER (WHERE b.call), '{}')
                FROM unnest($2::bytea[], $3::bytea[], $4::bool[], $5::bool[], $6::int8[]) AS b(trace_id, span_id, span,
                                                                                              call, start_ns)
                GROUP BY b.trace_id ORDER BY b.trace_id
                ON CONFLICT (tenant, trace_id) DO UPDATE
                SET spans = CASE WHEN OVERFLOWS THEN k.spans ELSE k.spans || NEW_SPANS END,
                    calls = CASE WHEN OVERFLOWS THEN k.calls ELSE k.calls || NEW_CALLS END,
                    spans_claimed = NEW_SPANS, calls_claimed = NEW_CALLS, overflow = OVERFLOWS,
                    time = greatest(k.time, excluded.time)
                WHERE EXISTS (SELECT unnest(excluded.spans) EXCEPT SELECT unnest(k.spans))
                   OR EXISTS (SELECT unnest(excluded.calls) EXCEPT SELECT unnest(k.calls))
                RETURNING trace_id, coalesce(spans_claimed, spans) AS spans_claimed,
                          coalesce(calls_claimed, calls) AS calls_claimed, overflow"""
                .replace("OVERFLOWS", overflows).replace("NEW_SPANS", newSpans).replace("NEW_CALLS", newCalls);
    }

    /**
     * The span ids an overflowing trace key returned (new to its lists, which no longer grow), claimed one key row
     * each, as V17 did for every span: {@code span_claimed}/{@code call_claimed} say what this statement added. Only
     * the statement holding the trace key's row lock gets here for that trace, so these rows are claimed in the same
     * order as the traces.
     */
    static final String INSERT_OVERFLOW_KEYS = """
            INSERT INTO span_key_overflow AS o (tenant, trace_id, span_id, time, span_stored, call_stored,
                                                span_claimed, call_claimed)
            SELECT $1, c.trace_id, c.span_id, timestamptz 'epoch' + (b.start_ns / 1000) * interval '1 microsecond',
                   bool_or(c.span), bool_or(c.call), bool_or(c.span), bool_or(c.call)
            FROM (SELECT trace_id, unnest(spans_claimed) AS span_id, true AS span, false AS call FROM new_keys
                  WHERE overflow
                  UNION ALL
                  SELECT trace_id, unnest(calls_claimed), false, true FROM new_keys WHERE overflow) c
            JOIN unnest($2::bytea[], $3::bytea[], $6::int8[]) AS b(trace_id, span_id, start_ns)
              ON b.trace_id = c.trace_id AND b.span_id = c.span_id
            GROUP BY c.trace_id, c.span_id, b.start_ns ORDER BY c.trace_id, c.span_id
            ON CONFLICT (tenant, trace_id, span_id) DO UPDATE
            SET span_stored = o.span_stored OR excluded.span_stored, call_stored = o.call_stored OR excluded.call_stored,
                time = greatest(o.time, excluded.time), span_claimed = excluded.span_stored AND NOT o.span_stored,
                call_claimed = excluded.call_stored AND NOT o.call_stored
            WHERE (excluded.span_stored AND NOT o.span_stored) OR (excluded.call_stored AND NOT o.call_stored)
            RETURNING trace_id, span_id, span_claimed, call_claimed""";

    /** Parameters of {@link #INSERT_KEYS} after the tenant. */
    static final int KEY_ARRAYS = 5;
    /** Parameters of {@link #INSERT_SPANS} after the tenant. */
    static final int SPAN_ARRAYS = 22;

    /**
     * The batch in one statement (so one transaction, committed when it completes): keys, then the spans and calls
     * this statement claimed, and each inserted call appended to the rollup queue. Data-modifying CTEs all run to completion in
     * the statement's own transaction, without BEGIN/COMMIT round trips. The main query reads the spans and then the
     * calls; PostgreSQL runs the CTEs nothing reads (the queue) after it, so rows other batches also touch stay locked
     * for as short as possible (docs/benchmarks.md); correctness does not depend on that order. The span and call
     * tables have no unique key of their own (V18): the claimed key is the only check.
     */
    static String statement(boolean spans, boolean calls) {
        if (!spans && !calls) {
            throw new IllegalArgumentException("nothing to store");
        }
        StringBuilder sql = new StringBuilder("WITH new_keys AS (").append(INSERT_KEYS).append("), overflow AS (")
                .append(INSERT_OVERFLOW_KEYS).append(")");
        int offset = KEY_ARRAYS;
        if (spans) {
            sql.append(", stored_spans AS (").append(claimedOnly(shift(INSERT_SPANS, offset), "spans_claimed", "span_claimed"))
                    .append(" RETURNING 1)");
            offset += SPAN_ARRAYS;
        }
        if (calls) {
            sql.append(", inserted AS (").append(claimedOnly(shift(INSERT_CALLS, offset), "calls_claimed", "call_claimed"))
                    .append(" RETURNING ").append(ROLLUP_INPUT)
                    .append("), queued AS (INSERT INTO llm_call_rollup_queue (").append(ROLLUP_INPUT)
                    .append(") SELECT ").append(ROLLUP_INPUT).append(" FROM inserted)");
        }
        return sql.append(" SELECT ").append(spans ? "(SELECT count(*) FROM stored_spans)" : "0").append(", ")
                .append(calls ? "(SELECT count(*) FROM inserted)" : "0").toString();
    }

    /**
     * The insert restricted to the rows this statement claimed: in a trace key's list ({@code listed}, a span id array
     * of new_keys) or, for an overflowing trace, in its own key row ({@code keyed}, a flag of overflow).
     */
    private static String claimedOnly(String insert, String listed, String keyed) {
        return insert.strip() + "\nWHERE (t.trace_id, t.span_id) IN (SELECT trace_id, unnest(" + listed
                + ") FROM new_keys WHERE NOT overflow UNION ALL SELECT trace_id, span_id FROM overflow WHERE " + keyed
                + ")";
    }

    /** Renumbers every parameter but the tenant ($1) by {@code offset}. */
    private static String shift(String sql, int offset) {
        return Pattern.compile("\\$(\\d+)").matcher(sql).replaceAll(m -> {
            int n = Integer.parseInt(m.group(1));
            return "\\$" + (n == 1 ? 1 : n + offset);
        });
    }

    private final Pool pool;
    private final Duration timeout;
    private final String spansOnly = statement(true, false);
    private final String callsOnly = statement(false, true);
    private final String spansAndCalls = statement(true, true);

    public TraceRepository(Pool pool, EnrichConfig config) {
        this.pool = pool;
        this.timeout = Duration.ofSeconds(config.storage().writeTimeoutSeconds());
    }

    /**
     * Stores the batch atomically; completes only once it is committed. Fails with {@link StorageException}. A span
     * or call whose key is already stored (a retry, or the same span re-sent with another time) is skipped; the batch
     * must not hold one key twice (the pipeline refuses in-batch duplicates before this).
     */
    public Uni<Void> store(String tenant, List<SpanRecord> spans, List<PricedCall> calls) {
        return write(prepare(tenant, spans, calls));
    }

    /** The batch's rows as the statement's parameters, ready to be written now or kept in enrich's write-ahead log. */
    public static WriteBatch prepare(String tenant, List<SpanRecord> spans, List<PricedCall> calls) {
        if (spans.isEmpty() && calls.isEmpty()) {
            return WriteBatch.EMPTY;
        }
        Tuple rows = keys(tenant, spans, calls);
        if (!spans.isEmpty()) {
            append(rows, SpanRowMapper.toTuple(tenant, spans));
        }
        if (!calls.isEmpty()) {
            append(rows, LlmCallRowMapper.toTuple(tenant, calls));
        }
        return new WriteBatch(!spans.isEmpty(), !calls.isEmpty(), rows);
    }

    /** Writes a prepared batch in one statement (so one transaction): completes once it is committed. */
    public Uni<Void> write(WriteBatch batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String sql = !batch.spans() ? callsOnly : !batch.calls() ? spansOnly : spansAndCalls;
        return pool.preparedQuery(sql).execute(batch.rows()).replaceWithVoid()
                .ifNoItem().after(timeout).failWith(() -> new StorageException(
                        "database write timed out after " + timeout.toSeconds() + "s", true, null))
                .onFailure(f -> !(f instanceof StorageException)).transform(TraceRepository::classify);
    }

    /**
     * The arrays of {@link #INSERT_KEYS}: one entry per span of the batch, with the rows it brings (its spans row, its
     * LLM-call row); the statement groups them by trace.
     */
    static Tuple keys(String tenant, List<SpanRecord> spans, List<PricedCall> calls) {
        Map<String, Key> byId = new HashMap<>();
        for (SpanRecord s : spans) {
            byId.computeIfAbsent(s.traceId() + "/" + s.spanId(), id -> new Key(s.traceId(), s.spanId(),
                    s.startTimeUnixNano())).span = true;
        }
        for (PricedCall p : calls) {
            LlmCall c = p.call();
            byId.computeIfAbsent(c.traceId() + "/" + c.spanId(), id -> new Key(c.traceId(), c.spanId(),
                    c.startTimeUnixNano())).call = true;
        }
        int n = byId.size();
        Buffer[] traceId = new Buffer[n];
        Buffer[] spanId = new Buffer[n];
        Boolean[] span = new Boolean[n];
        Boolean[] call = new Boolean[n];
        Long[] start = new Long[n];
        int i = 0;
        for (Key k : byId.values()) {
            traceId[i] = Ids.bytes(k.traceId);
            spanId[i] = Ids.bytes(k.spanId);
            span[i] = k.span;
            call[i] = k.call;
            start[i++] = k.startNs;
        }
        return Tuple.wrap(new ArrayList<>(List.of(tenant, traceId, spanId, span, call, start)));
    }

    /** One span while a batch's keys are gathered: its ids, time, and the rows the batch brings for it. */
    private static final class Key {
        final String traceId;
        final String spanId;
        final long startNs;
        boolean span;
        boolean call;

        Key(String traceId, String spanId, long startNs) {
            this.traceId = traceId;
            this.spanId = spanId;
            this.startNs = startNs;
        }
    }

    private static void append(Tuple rows, Tuple more) {
        for (int i = 1; i < more.size(); i++) { // more's $1 is the tenant, already there
            rows.addValue(more.getValue(i));
        }
    }

    /**
     * Data and constraint errors (SQLSTATE classes 22, 23) and limits a value exceeds (54: an index row larger than a
     * page, from a value of many kilobytes in an indexed column) are permanent: the same batch fails the same way
     * again. Everything else may pass on retry.
     */
    static StorageException classify(Throwable failure) {
        if (failure instanceof PgException pg && pg.getSqlState() != null && (pg.getSqlState().startsWith("22")
                || pg.getSqlState().startsWith("23") || pg.getSqlState().startsWith("54"))) {
            return new StorageException("database refused the batch: " + pg.getErrorMessage(), false, pg);
        }
        return new StorageException("database unavailable: " + failure.getMessage(), true, failure);
    }
}
