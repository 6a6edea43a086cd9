package io.llmobservatory.query.repository;

import io.llmobservatory.query.model.TraceCall;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** The LLM-call facts of one trace (cost lives in llm_calls; the trace view joins it by span id). */
@ApplicationScoped
public class LlmCallRepository {
    private static final HexFormat HEX = HexFormat.of();

    static final String CALLS_OF_TRACE = """
            SELECT span_id, model, request_model, response_model, provider, operation, dialect, input_tokens, output_tokens, cache_read_tokens,
                   cache_write_tokens, reasoning_tokens, input_cost_usd, output_cost_usd, cost_usd, priced,
                   price_source, ttft_ms, tokens_per_second, finish_reasons, user_id, session_id, status_code,
                   error_type, duration_ns
            FROM llm_calls
            WHERE tenant = $1 AND trace_id = $2
            ORDER BY time, span_id
            LIMIT $3
            """;

    private final Pool pool;

    public LlmCallRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<TraceCall>> callsOfTrace(String tenant, byte[] traceId, int limit) {
        return pool.preparedQuery(CALLS_OF_TRACE)
                .execute(Tuple.of(tenant, io.vertx.core.buffer.Buffer.buffer(traceId), limit))
                .map(rows -> {
                    List<TraceCall> out = new ArrayList<>();
                    for (Row row : rows) {
                        out.add(toCall(row));
                    }
                    return out;
                });
    }

    private static TraceCall toCall(Row row) {
        String[] reasons = row.getArrayOfStrings("finish_reasons");
        return new TraceCall(
                HEX.formatHex(row.getBuffer("span_id").getBytes()),
                row.getString("model"),
                row.getString("request_model"),
                row.getString("response_model"),
                row.getString("provider"),
                row.getString("operation"),
                row.getString("dialect"),
                row.getLong("input_tokens"),
                row.getLong("output_tokens"),
                row.getLong("cache_read_tokens"),
                row.getLong("cache_write_tokens"),
                row.getLong("reasoning_tokens"),
                row.getBigDecimal("input_cost_usd"),
                row.getBigDecimal("output_cost_usd"),
                row.getBigDecimal("cost_usd"),
                row.getBoolean("priced"),
                row.getString("price_source"),
                row.getDouble("ttft_ms"),
                row.getDouble("tokens_per_second"),
                reasons == null ? List.of() : Arrays.asList(reasons),
                row.getString("user_id"),
                row.getString("session_id"),
                row.getInteger("status_code") == 2,
                row.getString("error_type"),
                row.getLong("duration_ns") / 1e6);
    }
}
