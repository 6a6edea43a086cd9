package io.llmobservatory.enrich.storage;

import io.llmobservatory.enrich.cost.PriceOverride;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Operator price overrides in {@code price_overrides}. */
@ApplicationScoped
public class PriceOverrideRepository {
    static final String SELECT_ALL = """
            SELECT id, tenant, provider, model, model_regex, valid_from, valid_to, input_mtok, output_mtok,
                   cache_read_mtok, cache_write_mtok, reasoning_mtok, note, updated_at
            FROM price_overrides ORDER BY id
            """;
    static final String UPSERT = """
            INSERT INTO price_overrides (id, tenant, provider, model, model_regex, valid_from, valid_to, input_mtok,
                                         output_mtok, cache_read_mtok, cache_write_mtok, reasoning_mtok, note, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8::numeric, $9::numeric, $10::numeric, $11::numeric, $12::numeric, $13, now())
            ON CONFLICT (id) DO UPDATE SET tenant = EXCLUDED.tenant, provider = EXCLUDED.provider, model = EXCLUDED.model,
                model_regex = EXCLUDED.model_regex, valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to,
                input_mtok = EXCLUDED.input_mtok, output_mtok = EXCLUDED.output_mtok,
                cache_read_mtok = EXCLUDED.cache_read_mtok, cache_write_mtok = EXCLUDED.cache_write_mtok,
                reasoning_mtok = EXCLUDED.reasoning_mtok, note = EXCLUDED.note, updated_at = now()
            """;
    static final String DELETE = "DELETE FROM price_overrides WHERE id = $1";

    private final Pool pool;

    public PriceOverrideRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<PriceOverride>> findAll() {
        return pool.query(SELECT_ALL).execute().map(rows -> {
            List<PriceOverride> out = new ArrayList<>();
            for (Row row : rows) {
                out.add(toOverride(row));
            }
            return out;
        });
    }

    public Uni<Void> upsert(PriceOverride o) {
        return pool.preparedQuery(UPSERT).execute(Tuple.wrap(new ArrayList<>(Arrays.asList(o.id(), o.tenant(),
                        o.provider(), o.model(), o.modelRegex(), time(o.validFrom()), time(o.validTo()), o.inputMtok(),
                        o.outputMtok(), o.cacheReadMtok(), o.cacheWriteMtok(), o.reasoningMtok(), o.note()))))
                .replaceWithVoid();
    }

    /** True when an override with that id existed. */
    public Uni<Boolean> delete(String id) {
        return pool.preparedQuery(DELETE).execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
    }

    private static PriceOverride toOverride(Row row) {
        return new PriceOverride(row.getString("id"), row.getString("tenant"), row.getString("provider"),
                row.getString("model"), row.getString("model_regex"), instant(row.getOffsetDateTime("valid_from")),
                instant(row.getOffsetDateTime("valid_to")), row.getBigDecimal("input_mtok"),
                row.getBigDecimal("output_mtok"), row.getBigDecimal("cache_read_mtok"),
                row.getBigDecimal("cache_write_mtok"), row.getBigDecimal("reasoning_mtok"), row.getString("note"),
                instant(row.getOffsetDateTime("updated_at")));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime time(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
