package io.llmobservatory.enrich.storage;

import io.llmobservatory.enrich.RollupSnapshots;
import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Upgrades: a database populated at every earlier schema version, with the checksums the released migrations
 * recorded, migrates to the newest version with its data intact and its rollups equal to a rebuild from the raw calls.
 * Runs on the layout of the run (plain PostgreSQL, and TimescaleDB in the TimescaleDB executions of mvn verify).
 */
class MigrationUpgradeTest {
    private static final String CALLBACK = "db/migration/beforeValidate__realign_checksums.sql";
    private static final Pattern PAIR = Pattern.compile("\\('(\\d+)', (-?\\d+), (-?\\d+)\\)");
    private static final int LATEST = newestVersion();

    /** Ten past noon three days ago: older than the compression policy's two days, calls in one hour and day. */
    private static final String THREE_DAYS_AGO = "(date_trunc('day', now()) - interval '3 days' + interval '12 hours 10 minutes')";

    private final PostgresCluster pg = PostgresTestResource.cluster();

    /** Every migration before the newest (numbers may be skipped: a version lands when its change does). */
    static IntStream earlierVersions() {
        return versions().filter(v -> v < LATEST);
    }

    /** The newest migration there is, as Flyway resolves the files. */
    private static int newestVersion() {
        return versions().max().orElseThrow();
    }

    private static IntStream versions() {
        PostgresCluster pg = PostgresTestResource.cluster();
        String url = "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + pg.database();
        return java.util.Arrays.stream(Flyway.configure().dataSource(url, pg.user(), "").locations("classpath:db/migration")
                        .load().info().all())
                .mapToInt(m -> Integer.parseInt(m.getVersion().getVersion())).sorted();
    }

    @ParameterizedTest(name = "from V{0}")
    @MethodSource("earlierVersions")
    void aDatabasePopulatedAtAnEarlierVersionMigratesWithItsDataAndRollups(int version) throws Exception {
        String db = database("upgrade_v" + version);
        flyway(db, MigrationVersion.fromVersion(String.valueOf(version))).migrate();
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            asReleased(st);
            populate(st, version);
            if (exists(st, "SELECT 1 FROM pg_proc WHERE proname = 'rebuild_query_rollups'")) {
                st.execute("SELECT rebuild_query_rollups(NULL)"); // the rollups as that version's writer kept them
            }
        }
        Map<String, String> before = facts(db);

        flyway(db, MigrationVersion.LATEST).migrate();

        try (Connection c = connect(db); Statement st = c.createStatement()) {
            assertThat(one(st, "SELECT max(version::int) FROM flyway_schema_history WHERE success"))
                    .isEqualTo(String.valueOf(LATEST));
        }
        assertThat(facts(db)).as("raw rows survive").isEqualTo(before);
        List<String> rollups = rollups(db);
        assertThat(rollups).allSatisfy(rows -> assertThat(rows).isNotEmpty());
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute("SELECT rebuild_query_rollups(NULL)");
        }
        assertThat(rollups(db)).as("rollups equal the rebuild from the calls").isEqualTo(rollups);
    }

    /**
     * V15: calls stored under their response model (the rule before it) move to the model the application asked
     * for, so an app's failed call (no response model) and its answered ones are one row, the rollups follow, and the
     * response model and the cost stay as they were. On TimescaleDB the calls sit in compressed chunks.
     */
    @Test
    void callsStoredUnderTheirResponseModelAreRegroupedUnderTheRequestModel() throws Exception {
        String db = database("upgrade_request_model");
        int before = versions().filter(v -> v < 15).max().orElseThrow();
        flyway(db, MigrationVersion.fromVersion(String.valueOf(before))).migrate();
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            for (int i = 0; i < 5; i++) {
                boolean failed = i == 4; // a 429: no response model, no tokens, no cost
                String response = failed ? "NULL" : "'gpt-4o-mini-2024-07-18'";
                st.execute("INSERT INTO llm_calls (tenant, trace_id, span_id, time, service_name, provider, operation, "
                        + "request_model, response_model, model, input_tokens, output_tokens, cost_usd, priced, "
                        + "price_source, status_code, error_type, duration_ns, user_id, dialect) VALUES ('acme', "
                        + String.format("'\\x%032x', '\\x%016x'", 2000 + i, 2000 + i)
                        + ", " + THREE_DAYS_AGO + " + interval '" + i + " minutes', 'rag', 'openai', 'chat', "
                        + "'gpt-4o-mini', " + response + ", " + (failed ? "'gpt-4o-mini'" : response) + ", "
                        + (failed ? "NULL, NULL, NULL, false" : "1000, 100, 0.00021, true") + ", 'openai/gpt-4o-mini', "
                        + (failed ? "2, '429'" : "1, NULL") + ", 1000000, 'alice', 'otel')");
            }
            st.execute("INSERT INTO llm_calls (tenant, trace_id, span_id, time, service_name, provider, model, "
                    + "response_model, priced, price_source, status_code, duration_ns, dialect) VALUES ('acme', '\\x" + "ab".repeat(16)
                    + "', '\\x" + "ab".repeat(8) + "', " + THREE_DAYS_AGO + ", 'rag', 'openai', "
                    + "'gpt-4o-2024-08-06', 'gpt-4o-2024-08-06', false, 'test', 1, 1, 'otel')"); // no request model: kept as it is
            st.execute("INSERT INTO metric_points (tenant, name, series_id, time_unix_nano, time, start_time_unix_nano, "
                    + "type, service_name, attributes, resource_attributes, value_int, gen_ai_model) VALUES ('acme', "
                    + "'gen_ai.client.token.usage', '\\x01', 1, " + THREE_DAYS_AGO + ", 0, 'sum', 'rag', "
                    + "'{\"gen_ai.request.model\": \"gpt-4o-mini\", \"gen_ai.response.model\": "
                    + "\"gpt-4o-mini-2024-07-18\"}', '{}', 1, 'gpt-4o-mini-2024-07-18')");
            boolean timescale = exists(st, "SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'");
            if (timescale) {
                // More compressed calls to rewrite than TimescaleDB decompresses in one transaction by default (100 000).
                st.execute("INSERT INTO llm_calls (tenant, trace_id, span_id, time, service_name, provider, request_model, "
                        + "response_model, model, priced, price_source, status_code, duration_ns, dialect) SELECT 'bulk', "
                        + "decode(lpad(to_hex(g), 32, '0'), 'hex'), decode(lpad(to_hex(g), 16, '0'), 'hex'), "
                        + THREE_DAYS_AGO + " + g * interval '1 ms', 'rag', 'openai', 'gpt-4o-mini', "
                        + "'gpt-4o-mini-2024-07-18', 'gpt-4o-mini-2024-07-18', false, 'test', 1, 1, 'otel' "
                        + "FROM generate_series(1, 100001) g");
            }
            st.execute("SELECT rebuild_query_rollups(NULL)");
            if (timescale) {
                st.execute("SELECT compress_chunk(c) FROM show_chunks('llm_calls') c");
                st.execute("SELECT compress_chunk(c) FROM show_chunks('metric_points') c");
                assertThat(one(st, "SELECT count(*) FILTER (WHERE is_compressed) > 0 FROM timescaledb_information.chunks "
                        + "WHERE hypertable_name = 'llm_calls'")).isEqualTo("t");
            }
            assertThat(one(st, "SELECT string_agg(model || '=' || requests || '/' || errors, ',' ORDER BY model) "
                    + "FROM llm_calls_model_1h WHERE tenant = 'acme'"))
                    .as("before: the 429 apart from its model's answers")
                    .isEqualTo("gpt-4o-2024-08-06=1/0,gpt-4o-mini=1/1,gpt-4o-mini-2024-07-18=4/0");
        }

        flyway(db, MigrationVersion.LATEST).migrate();

        try (Connection c = connect(db); Statement st = c.createStatement()) {
            assertThat(one(st, "SELECT string_agg(model || '|' || coalesce(response_model, '-') || '|' || "
                    + "coalesce(cost_usd::text, '-'), ',' ORDER BY span_id) FROM llm_calls WHERE tenant = 'acme'"))
                    .isEqualTo(String.join(",", java.util.Collections.nCopies(4,
                            "gpt-4o-mini|gpt-4o-mini-2024-07-18|0.000210000000")) + ",gpt-4o-mini|-|-,"
                            + "gpt-4o-2024-08-06|gpt-4o-2024-08-06|-");
            for (String rollup : List.of("llm_calls_model_1m", "llm_calls_model_1h", "llm_calls_model_1d")) {
                assertThat(one(st, "SELECT string_agg(model || '=' || requests || '/' || errors || '/' || cost_usd, ',' "
                        + "ORDER BY model) FROM (SELECT model, sum(requests) requests, sum(errors) errors, sum(cost_usd) "
                        + "cost_usd FROM " + rollup + " WHERE tenant = 'acme' GROUP BY model) r"))
                        .as(rollup).isEqualTo("gpt-4o-2024-08-06=1/0/0.000000000000,gpt-4o-mini=5/1/0.000840000000");
            }
            assertThat(one(st, "SELECT gen_ai_model FROM metric_points WHERE tenant = 'acme'")).isEqualTo("gpt-4o-mini");
            assertThat(one(st, "SELECT count(*) FILTER (WHERE model <> 'gpt-4o-mini') FROM llm_calls WHERE tenant = 'bulk'"))
                    .isEqualTo("0");
        }
        List<String> rollups = rollups(db);
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute("SELECT rebuild_query_rollups(NULL)");
        }
        assertThat(rollups(db)).as("rollups equal the rebuild from the calls").isEqualTo(rollups);
    }

    @Test
    void aSpanAndCallStoredTwiceBeforeV14AreStoredOnceAfterIt() throws Exception {
        String db = database("upgrade_duplicates");
        flyway(db, MigrationVersion.fromVersion("13")).migrate();
        Map<String, String> once;
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            asReleased(st);
            populate(st, 13);
            st.execute("SELECT rebuild_query_rollups(NULL)");
        }
        once = facts(db);
        List<String> rollupsOnce = rollups(db);
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            // what V13's keys let through: the same ids with a start time 3 µs later, counted in the rollups too
            String key = String.format("'\\x%032x'", 1005);
            st.execute("INSERT INTO llm_calls SELECT (jsonb_populate_record(c, jsonb_build_object('time', "
                    + "c.time + interval '3 microseconds'))).* FROM llm_calls c WHERE trace_id = " + key);
            st.execute("INSERT INTO spans SELECT (jsonb_populate_record(s, jsonb_build_object('start_time', "
                    + "s.start_time + interval '3 microseconds'))).* FROM spans s WHERE trace_id = " + key);
            st.execute("SELECT rebuild_query_rollups(NULL)");
            assertThat(one(st, "SELECT count(*) FROM llm_calls WHERE trace_id = " + key)).isEqualTo("2");
        }
        assertThat(facts(db)).isNotEqualTo(once);

        flyway(db, MigrationVersion.LATEST).migrate();

        assertThat(facts(db)).as("stored once").isEqualTo(once);
        assertThat(rollups(db)).as("rollups count it once").isEqualTo(rollupsOnce);
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            String unkeyed = " x WHERE NOT EXISTS (SELECT 1 FROM trace_keys k WHERE k.tenant = x.tenant AND k.trace_id "
                    + "= x.trace_id AND x.span_id = ANY (k.%s) AND k.time >= x.%s)";
            assertThat(one(st, "SELECT (SELECT count(*) FROM trace_keys) || '|' || (SELECT count(*) FROM spans"
                    + unkeyed.formatted("spans", "start_time") + ") || '|' || (SELECT count(*) FROM llm_calls"
                    + unkeyed.formatted("calls", "time") + ") || '|' || (SELECT count(*) FROM (SELECT tenant, trace_id "
                    + "FROM spans UNION SELECT tenant, trace_id FROM llm_calls) t)"))
                    .as("keys|spans and calls not listed in their trace's key of a time at least theirs|traces")
                    .matches("([1-9][0-9]*)\\|0\\|0\\|\\1");
        }
    }

    @Test
    void theRealignedChecksumsAreTheFilesOwn() throws Exception {
        String db = database("upgrade_checksums");
        flyway(db, MigrationVersion.LATEST).migrate();
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            for (Map.Entry<String, int[]> pair : realignedPairs().entrySet()) {
                assertThat(one(st, "SELECT checksum FROM flyway_schema_history WHERE version = '" + pair.getKey() + "'"))
                        .as("V" + pair.getKey()).isEqualTo(String.valueOf(pair.getValue()[1]));
            }
        }
        assertThat(realignedPairs()).isNotEmpty();
    }

    @Test
    void aTimescaleDatabaseLeftAtV7ByAReleaseIsRefusedWithWhatToDo() throws Exception {
        String db = database("upgrade_stuck");
        flyway(db, MigrationVersion.fromVersion("7")).migrate();
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            asReleased(st);
            // What the released V4 made on TimescaleDB: llm_calls_1m was a continuous aggregate, i.e. a view.
            st.execute("DROP TABLE llm_calls_1m");
            st.execute("CREATE VIEW llm_calls_1m AS SELECT * FROM llm_calls_1h");
        }
        assertThatThrownBy(() -> flyway(db, MigrationVersion.LATEST).migrate()).isInstanceOf(FlywayException.class)
                .hasMessageContaining("drop and recreate the database");
    }

    /** The history as a released version's migrations left it: the checksums of the files before they were edited. */
    private static void asReleased(Statement st) throws SQLException {
        for (Map.Entry<String, int[]> pair : realignedPairs().entrySet()) {
            st.executeUpdate("UPDATE flyway_schema_history SET checksum = " + pair.getValue()[0] + " WHERE version = '"
                    + pair.getKey() + "' AND checksum = " + pair.getValue()[1]);
        }
    }

    /** Calls over two days, their spans, and from V3 on logs and metric points, with only the columns V1-V3 had. */
    private static void populate(Statement st, int version) throws SQLException {
        String[] models = {"gpt-4o", "gpt-4o-mini", null};
        for (int i = 0; i < 24; i++) {
            String time = "now() - interval '" + (i * 2) + " hours'";
            String trace = String.format("'\\x%032x'", 1000 + i);
            String span = String.format("'\\x%016x'", 1000 + i);
            String model = models[i % 3] == null ? "NULL" : "'" + models[i % 3] + "'";
            String cost = models[i % 3] == null ? "NULL" : String.valueOf(0.0001 * (i + 1));
            st.execute("INSERT INTO llm_calls (tenant, trace_id, span_id, time, service_name, provider, operation, "
                    + "request_model, response_model, model, input_tokens, output_tokens, cache_read_tokens, cost_usd, "
                    + "priced, price_source, status_code, duration_ns, user_id, dialect) VALUES ('acme', " + trace + ", "
                    + span + ", " + time + ", 'rag', 'openai', 'chat', " + model + ", " + model + ", " + model + ", "
                    + (100 + i) + ", " + (10 + i) + ", " + (i % 2) + ", " + cost + ", " + (!"NULL".equals(cost))
                    + ", 'test', " + (i % 5 == 0 ? 2 : 1) + ", " + (1_000_000L * (i + 1)) + ", 'user-" + (i % 3)
                    + "', 'otel')");
            st.execute("INSERT INTO spans (tenant, trace_id, span_id, name, kind, start_time, start_time_unix_nano, "
                    + "end_time_unix_nano, duration_ns, status_code, service_name, attributes, events, links, "
                    + "resource_attributes, scope_attributes) VALUES ('acme', " + trace + ", " + span + ", 'chat', 3, "
                    + time + ", 1, 2, 1, 0, 'rag', '{\"gen_ai.request.model\": \"x\"}', '[]', '[]', '{}', '{}')");
            if (version >= 3) {
                st.execute("INSERT INTO logs (tenant, log_id, time, time_unix_nano, observed_time_unix_nano, "
                        + "severity_number, body, attributes, trace_id, service_name, resource_attributes) VALUES "
                        + "('acme', " + span + ", " + time + ", 1, 1, 9, '\"hello\"', '{}', " + trace + ", 'rag', '{}')");
                st.execute("INSERT INTO metric_points (tenant, name, series_id, time_unix_nano, time, "
                        + "start_time_unix_nano, type, service_name, attributes, resource_attributes, value_int) VALUES "
                        + "('acme', 'gen_ai.client.token.usage', " + span + ", 1, " + time + ", 0, 'sum', 'rag', '{}', "
                        + "'{}', " + i + ")");
            }
        }
    }

    private Map<String, String> facts(String db) throws SQLException {
        Map<String, String> facts = new LinkedHashMap<>();
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            facts.put("llm_calls", one(st, "SELECT count(*) || '|' || sum(input_tokens) || '|' || sum(cost_usd) || '|' "
                    + "|| count(*) FILTER (WHERE status_code = 2) || '|' || count(DISTINCT user_id) FROM llm_calls"));
            facts.put("spans", one(st, "SELECT count(*) || '|' || count(DISTINCT attributes::text) FROM spans"));
            for (String table : List.of("logs", "metric_points")) {
                facts.put(table, exists(st, "SELECT 1 FROM pg_class WHERE relname = '" + table + "'")
                        ? one(st, "SELECT count(*) FROM " + table) : "0");
            }
        }
        return facts;
    }

    private List<String> rollups(String db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            for (String table : RollupSnapshots.WRITER_ROLLUPS) {
                out.add(table + ": " + one(st, RollupSnapshots.sql(table, "acme")));
            }
        }
        return out;
    }

    /** version -> {released checksum, edited checksum}, as the callback lists them. */
    private static Map<String, int[]> realignedPairs() {
        try (InputStream in = MigrationUpgradeTest.class.getClassLoader().getResourceAsStream(CALLBACK)) {
            assertThat(in).as(CALLBACK).isNotNull();
            Matcher m = PAIR.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Map<String, int[]> pairs = new LinkedHashMap<>();
            while (m.find()) {
                pairs.put(m.group(1), new int[] {Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))});
            }
            return pairs;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String database(String name) {
        pg.psql("DROP DATABASE IF EXISTS " + name);
        pg.psql("CREATE DATABASE " + name);
        return name;
    }

    private Flyway flyway(String db, MigrationVersion target) {
        return Flyway.configure().dataSource(jdbc(db), pg.user(), "").locations("classpath:db/migration")
                .target(target).load();
    }

    private Connection connect(String db) throws SQLException {
        return DriverManager.getConnection(jdbc(db), pg.user(), "");
    }

    private String jdbc(String db) {
        return "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + db;
    }

    private static boolean exists(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next();
        }
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
