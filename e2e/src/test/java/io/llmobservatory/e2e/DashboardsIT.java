package io.llmobservatory.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provisioned Grafana dashboards (deploy/kubernetes/grafana, used by both stacks) query what exists: every SQL
 * panel and template variable runs against the real, migrated schema (Grafana's macros expanded the way its
 * PostgreSQL data source does), every PromQL expression passes promtool, and every metric it names is one the
 * services expose.
 */
class DashboardsIT {
    private static final Path ROOT = Suite.projectRoot();
    private static final Path DASHBOARDS = ROOT.resolve("deploy/kubernetes/grafana/dashboards");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Query(String dashboard, String panel, String text) {
    }

    @Test
    void everySqlPanelRunsAgainstTheSchema() throws IOException {
        Suite suite = Suite.get();
        List<Query> sql = queries("rawSql");
        assertThat(sql).hasSizeGreaterThanOrEqualTo(10);
        for (Query q : sql) {
            String expanded = expand(q.text());
            try {
                suite.postgres.psql(expanded);
            } catch (RuntimeException e) {
                throw new AssertionError(q.dashboard() + " / " + q.panel() + " fails:\n" + expanded + "\n" + e.getMessage(), e);
            }
        }
        for (JsonNode variable : all("templating")) {
            for (JsonNode v : variable.path("list")) {
                suite.postgres.psql(v.path("query").asText());
            }
        }
    }

    @Test
    void everyPromQlExpressionIsValidAndNamesExposedMetrics() throws Exception {
        List<Query> promql = queries("expr");
        assertThat(promql).hasSizeGreaterThanOrEqualTo(8);
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
        for (int i = 0; i < promql.size(); i++) {
            rules.append("      - record: dashboard_expr_").append(i).append("\n        expr: '")
                    .append(promql.get(i).text().replace("'", "''")).append("'\n");
        }
        Path file = Files.createTempFile("dashboard-exprs", ".yml");
        Files.writeString(file, rules);
        Process check = new ProcessBuilder("promtool", "check", "rules", file.toString()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor()).as(output).isZero();

        Suite suite = Suite.get();
        // One LLM call through the pipeline registers the per-event series (sampling decisions and the like).
        try (RawGrpc grpc = new RawGrpc(suite.ingestGrpcPort, Llm.newTenant("dashboards"))) {
            grpc.export(Protos.request("bot", List.of(Protos.chat(OtlpJson.randomHex(16), OtlpJson.randomHex(8),
                    OtlpJson.nowNanos(), "gpt-4o", 100, 50))));
        }
        // Series that exist only with their cause: export queues with Tempo/Loki configured (LokiSenderTest,
        // TempoSenderTest), redactions once a value was redacted (PiiIT), sampling decisions with sampling on
        // (SamplersTest).
        java.util.Set<String> conditional = java.util.Set.of("otelcol_exporter_queue_size", "otelcol_exporter_queue_capacity",
                "otelcol_exporter_enqueue_failed_spans", "observatory_enrich_pii_redactions",
                "observatory_enrich_sampling_decisions");
        String exposed = io.restassured.RestAssured.get("http://127.0.0.1:" + suite.ingestHttpPort + "/q/metrics").asString()
                + io.restassured.RestAssured.get("http://127.0.0.1:" + suite.enrichPort + "/q/metrics").asString();
        for (Query q : promql) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(otelcol|observatory)_[a-z_]+").matcher(q.text());
            while (m.find()) {
                String metric = m.group();
                // histograms are exposed as _bucket/_count/_sum series of their base name
                String base = metric.replaceAll("_(bucket|total)$", "");
                if (conditional.contains(base)) {
                    continue;
                }
                assertThat(exposed).as(q.panel() + " names " + metric).contains(base);
            }
        }
    }

    /** Grafana's PostgreSQL macros and our template variable, expanded for a 24-hour range. */
    static String expand(String sql) {
        return sql.replaceAll("\\$__timeGroupAlias\\(([a-z_]+), [^)]*\\)",
                        "date_bin(interval '1 hour', $1, timestamptz '2000-01-01') AS time")
                .replaceAll("\\$__timeFilter\\(([a-z_]+)\\)", "$1 BETWEEN now() - interval '1 day' AND now()")
                .replace("$tenant", "default");
    }

    private static List<Query> queries(String field) throws IOException {
        List<Query> out = new ArrayList<>();
        for (Path file : dashboardFiles()) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    if (target.has(field)) {
                        out.add(new Query(dashboard.path("title").asText(), panel.path("title").asText(),
                                target.path(field).asText()));
                    }
                }
            }
        }
        return out;
    }

    private static List<JsonNode> all(String field) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (Path file : dashboardFiles()) {
            out.add(JSON.readTree(file.toFile()).path(field));
        }
        return out;
    }

    private static List<Path> dashboardFiles() throws IOException {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }
}
