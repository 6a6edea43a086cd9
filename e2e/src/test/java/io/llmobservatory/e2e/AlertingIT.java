package io.llmobservatory.e2e;

import io.llmobservatory.testkit.PostgresCluster;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alerting the Prometheus way, with the real Prometheus and Alertmanager (Debian packages): Prometheus loads the
 * rule file the alerting service generates and scrapes ingest and enrich; PostgreSQL going down makes the exporters
 * fail, HighErrorRate fires and reaches Alertmanager (from Prometheus, and from the alerting service's own
 * evaluation); an LLM budget rule fires from the alerting service into the same Alertmanager; all resolve when the
 * cause is gone.
 */
class AlertingIT {
    private static final String RULES = """
            health:
              - name: HighErrorRate
                expr: rate(otelcol_exporter_send_failed_spans[10s]) > 0
                for: 2s
                labels: {severity: critical}
                annotations: {summary: "{{ $labels.exporter }} fails {{ $value }} spans/s"}
            llm:
              - name: TenantSpendBudget
                kind: spend_budget
                tenant: %s
                window: 1h
                threshold: %s
                labels: {severity: warning}
                annotations: {summary: "tenant {{ $labels.tenant }} spent {{ $value }} USD in the last hour"}
            """;

    private static Suite suite;
    private static Path dir;
    private static final List<Process> processes = new ArrayList<>();
    private static int alertmanagerPort;
    private static final String TENANT = Llm.newTenant("alerting");

    @BeforeAll
    static void start() throws Exception {
        suite = Suite.get();
        dir = Files.createTempDirectory("alerting-it");
        alertmanagerPort = Suite.freePort();
        Files.writeString(dir.resolve("alertmanager.yml"), """
                route: {receiver: blackhole, group_wait: 1s, group_interval: 1s, repeat_interval: 1h}
                receivers: [{name: blackhole}]
                """);
        start("alertmanager", List.of("prometheus-alertmanager", "--config.file=" + dir.resolve("alertmanager.yml"),
                "--web.listen-address=127.0.0.1:" + alertmanagerPort, "--cluster.listen-address=",
                "--storage.path=" + dir.resolve("am-data")));
        await("Alertmanager ready", Duration.ofSeconds(30), () -> RestAssured.get(am("/-/ready")).statusCode() == 200);

        Path rules = dir.resolve("observatory-rules.yaml");
        Files.writeString(rules, RULES.formatted(TENANT, "0.001"));
        suite.restartAlerting(Map.of("OBSERVATORY_ALERTING_RULES_FILE", rules.toString(),
                "OBSERVATORY_ALERTING_EVALUATION_INTERVAL", "1s",
                "OBSERVATORY_ALERTING_DELIVERY_ALERTMANAGER_URL", "http://127.0.0.1:" + alertmanagerPort,
                "OBSERVATORY_ALERTING_DELIVERY_RESEND_INTERVAL", "5s"));

        // The generated rule file is what a cluster's Prometheus loads; promtool must accept it.
        String ruleFile = Suite.asOperator().get(alerting("/api/v1/rules/prometheus")).then().statusCode(200).extract().asString();
        Files.writeString(dir.resolve("rules.yml"), ruleFile);
        Process check = new ProcessBuilder("promtool", "check", "rules", dir.resolve("rules.yml").toString())
                .redirectErrorStream(true).start();
        String checkOutput = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor()).as(checkOutput).isZero();

        int prometheusPort = Suite.freePort();
        Files.writeString(dir.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                rule_files: [rules.yml]
                alerting:
                  alertmanagers: [{static_configs: [{targets: ['127.0.0.1:%d']}]}]
                scrape_configs:
                  - job_name: observatory
                    metrics_path: /q/metrics
                    static_configs: [{targets: ['127.0.0.1:%d', '127.0.0.1:%d']}]
                """.formatted(alertmanagerPort, suite.ingestHttpPort, suite.enrichPort));
        start("prometheus", List.of("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--web.listen-address=127.0.0.1:" + prometheusPort, "--storage.tsdb.path=" + dir.resolve("prom-data")));
        await("Prometheus ready", Duration.ofSeconds(30),
                () -> RestAssured.get("http://127.0.0.1:" + prometheusPort + "/-/ready").statusCode() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        suite.restartAlerting(Map.of());
    }

    @Test
    void healthAndBudgetAlertsReachAlertmanagerAndResolve() throws Exception {
        // An LLM call over the tenant's budget: the alerting service reads the spend through the query service.
        try (RawGrpc grpc = new RawGrpc(suite.ingestGrpcPort, TENANT)) {
            grpc.export(Protos.request("bot", List.of(Protos.chat(OtlpJson.randomHex(16), OtlpJson.randomHex(8),
                    OtlpJson.nowNanos(), "gpt-4o", 1000, 500))));
        }
        // The Collector's self-metric names on both hops, as the seed's rules and Collector dashboards expect.
        String ingestMetrics = RestAssured.get("http://127.0.0.1:" + suite.ingestHttpPort + "/q/metrics").asString();
        assertThat(ingestMetrics).contains("otelcol_receiver_accepted_spans_total{receiver=\"otlp\",transport=\"grpc\"}")
                .contains("otelcol_exporter_sent_spans_total{exporter=\"enrich\"}");
        String enrichMetrics = RestAssured.get("http://127.0.0.1:" + suite.enrichPort + "/q/metrics").asString();
        assertThat(enrichMetrics).contains("otelcol_exporter_sent_spans_total{exporter=\"postgresql\"}")
                .contains("otelcol_processor_dropped_spans_total{processor=\"sampling\"}")
                .contains("observatory_enrich_db_write_seconds_count");
        await("TenantSpendBudget at Alertmanager", Duration.ofSeconds(60), () -> firing("TenantSpendBudget", a -> true));

        // Acknowledging it: a silence passed through to Alertmanager, listed, then expired.
        String silence = """
                {"matchers": [{"name": "alertname", "value": "TenantSpendBudget", "isRegex": false}],
                 "startsAt": "%s", "endsAt": "%s", "createdBy": "on-call", "comment": "looking into it"}
                """.formatted(java.time.Instant.now(), java.time.Instant.now().plusSeconds(3600));
        String silenceId = Suite.asOperator().contentType("application/json").body(silence)
                .post(alerting("/api/v1/silences")).then().statusCode(200).extract().jsonPath().getString("silenceID");
        assertThat(Suite.asOperator().get(alerting("/api/v1/silences")).then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.status.state == 'active' }.id", String.class)).contains(silenceId);
        await("the budget alert silenced at Alertmanager", Duration.ofSeconds(30), () -> RestAssured
                .get(am("/api/v2/alerts?silenced=false")).then().extract().jsonPath().getList("labels.alertname", String.class)
                .stream().noneMatch("TenantSpendBudget"::equals));
        Suite.asOperator().delete(alerting("/api/v1/silences/" + silenceId)).then().statusCode(200);

        // PostgreSQL down: every batch fails to commit; the exporters count the failures.
        PostgresCluster pg = suite.postgres;
        pg.stopServer();
        try (RawGrpc grpc = new RawGrpc(suite.ingestGrpcPort, TENANT)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            boolean fromPrometheus = false;
            boolean fromAlerting = false;
            while (System.nanoTime() < deadline && !(fromPrometheus && fromAlerting)) {
                try {
                    grpc.export(batch(20));
                } catch (RuntimeException expected) {
                    // UNAVAILABLE: the database is down
                }
                // Prometheus adds its job label; the alerting service's own evaluation does not.
                fromPrometheus = fromPrometheus || firing("HighErrorRate", a -> "observatory".equals(a.get("job")));
                fromAlerting = fromAlerting || firing("HighErrorRate", a -> !a.containsKey("job"));
                Thread.sleep(250);
            }
            assertThat(fromPrometheus).as("HighErrorRate from Prometheus at Alertmanager").isTrue();
            assertThat(fromAlerting).as("HighErrorRate from the alerting service at Alertmanager").isTrue();
        } finally {
            pg.startServer();
        }
        assertThat(Suite.asOperator().get(alerting("/api/v1/alerts")).then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.state == 'FIRING' }.rule", String.class)).contains("HighErrorRate", "TenantSpendBudget");

        // The cause gone: no more failures, so the rate falls to zero and both evaluators resolve.
        await("HighErrorRate resolved at Alertmanager", Duration.ofSeconds(90), () -> !firing("HighErrorRate", a -> true));

        // A higher budget: the budget alert resolves too.
        String higher = RULES.formatted(TENANT, "1000");
        Suite.asOperator().contentType("application/json").body(yamlToJson(higher)).put(alerting("/api/v1/rules"))
                .then().statusCode(200);
        await("TenantSpendBudget resolved at Alertmanager", Duration.ofSeconds(60),
                () -> !firing("TenantSpendBudget", a -> true));
        assertThat(Suite.asOperator().get(alerting("/api/v1/alerts/history?limit=1000")).then().statusCode(200).extract()
                .jsonPath().getList("findAll { it.to == 'resolved' }.rule", String.class))
                .contains("HighErrorRate", "TenantSpendBudget");
    }

    private static ExportTraceServiceRequest batch(int spans) {
        List<io.opentelemetry.proto.trace.v1.Span> list = new ArrayList<>();
        for (int i = 0; i < spans; i++) {
            list.add(Protos.chat(OtlpJson.randomHex(16), OtlpJson.randomHex(8), OtlpJson.nowNanos(), "gpt-4o", 10, 5));
        }
        return Protos.request("bot", list);
    }

    /** Whether Alertmanager holds an active alert of that name whose labels pass {@code test}. */
    private static boolean firing(String alertname, Predicate<Map<String, String>> test) {
        JsonPath alerts = RestAssured.get(am("/api/v2/alerts")).then().statusCode(200).extract().jsonPath();
        List<Map<String, String>> labels = alerts.getList("labels");
        return labels.stream().anyMatch(l -> alertname.equals(l.get("alertname")) && test.test(l));
    }

    private static String yamlToJson(String yaml) throws IOException {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(mapper.readTree(yaml));
    }

    private static String am(String path) {
        return "http://127.0.0.1:" + alertmanagerPort + path;
    }

    private static String alerting(String path) {
        return "http://127.0.0.1:" + suite.alertingPort + path;
    }

    private static void start(String name, List<String> command) throws IOException {
        processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start());
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (Exception | AssertionError e) {
                // not yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError(what + ": not within " + timeout + " (logs in " + dir + ")");
    }
}
