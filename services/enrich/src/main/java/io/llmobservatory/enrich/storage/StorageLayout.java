package io.llmobservatory.enrich.storage;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * How the time-series tables are laid out, as the migrations decided: TimescaleDB hypertables (compression and
 * retention policies) or native daily range partitions. The rollups are the same drained tables on both. Detected
 * once at start and logged.
 */
@ApplicationScoped
@Startup // detected on the main thread at start: the detection blocks, which the event loop must not
public class StorageLayout {
    private static final Logger LOG = Logger.getLogger(StorageLayout.class);
    static final String DETECT = """
            SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') AS timescale,
                   EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') AS installed,
                   EXISTS (SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
                           WHERE c.relname = 'llm_calls') AS partitioned
            """;

    private final boolean timescale;
    private final boolean partitioned;

    public StorageLayout(Pool pool) {
        Row row = pool.query(DETECT).execute().await().atMost(Duration.ofSeconds(30)).iterator().next();
        this.timescale = row.getBoolean("timescale");
        this.partitioned = row.getBoolean("partitioned");
        if (timescale) {
            LOG.info("storage layout: TimescaleDB (hypertables with compression and retention policies)");
        } else {
            LOG.infof("storage layout: plain PostgreSQL (%s)",
                    partitioned ? "native daily range partitions" : "unpartitioned tables");
            if (row.getBoolean("installed")) {
                LOG.info("storage: TimescaleDB is installed on the server but was not usable when the schema was laid"
                        + " out (not in shared_preload_libraries, or observatory.timescaledb = 'off'): the database keeps"
                        + " the plain PostgreSQL layout");
            }
        }
    }

    public boolean timescale() {
        return timescale;
    }

    public boolean nativePartitions() {
        return partitioned && !timescale;
    }
}
