package io.llmobservatory.e2e;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the default policy, no seeded value of any built-in detector (e-mail, phone number, card number, SSN, IBAN, IP
 * address, API key, AWS key, JWT) survives anywhere in storage, whatever signal carried it (spans, logs, metrics): not
 * in any column of any row, not in any attribute, event, resource, name or status message, not in anything sent to
 * Tempo or Loki; and the calls are still counted and priced, per (hashed) user.
 */
class PiiIT {
    private static Suite suite;
    private static FakeStores.Tempo tempo;
    private static FakeStores.Loki loki;

    /** Traces and logs go to PostgreSQL and to (recording stand-ins for) Tempo and Loki: all four are checked. */
    @BeforeAll
    static void start() throws Exception {
        suite = Suite.get();
        tempo = new FakeStores.Tempo(false);
        loki = new FakeStores.Loki(false);
        suite.restartEnrich(java.util.Map.of("OBSERVATORY_ENRICH_STORES_TRACES", "both",
                "OBSERVATORY_ENRICH_STORES_TEMPO_OTLP_ENDPOINT", "127.0.0.1:" + tempo.port(),
                "OBSERVATORY_ENRICH_STORES_LOGS", "both",
                "OBSERVATORY_ENRICH_STORES_LOKI_URL", "http://127.0.0.1:" + loki.port()));
    }

    @org.junit.jupiter.api.AfterAll
    static void stop() throws Exception {
        suite.restartEnrich(java.util.Map.of());
        tempo.close();
        loki.close();
    }

    @Test
    void noSeededSecretSurvivesInAnyStoredColumn() {
        String tenant = Llm.newTenant("pii");
        Random random = new Random(20261127L);
        List<String> seeded = new ArrayList<>();
        String ownerEmail = email(random);
        seeded.add(ownerEmail);
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), "pii-app",
                        AttributeKey.stringKey("service.owner"), ownerEmail))))
                .addSpanProcessor(SimpleSpanProcessor.create(OtlpHttpSpanExporter.builder()
                        .setEndpoint(suite.ingestHttpUrl() + "/v1/traces").addHeader("Authorization", Llm.bearer(suite, tenant)).build()))
                .build();
        Tracer tracer = provider.get("pii");
        Instant start = Instant.now().minusSeconds(10);
        String userEmail = email(random);
        seeded.add(userEmail);
        for (int i = 0; i < 40; i++) {
            String email = email(random);
            String phone = phone(random);
            String card = card(random);
            String key = "sk-proj-" + alnum(random, 32);
            String aws = "AKIA" + alnum(random, 16).toUpperCase();
            String ssn = ssn(random);
            String iban = iban(random);
            String jwt = jwt(random);
            seeded.addAll(List.of(email, phone, card, card.replace(" ", ""), key, aws, ssn, iban, jwt));
            String messages = "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"I am " + email
                    + ", call me on " + phone + "\"}]}]";
            Span span = tracer.spanBuilder("chat for " + email).setStartTimestamp(start)
                    .setAttribute("gen_ai.provider.name", "openai").setAttribute("gen_ai.request.model", "gpt-4o")
                    .setAttribute("gen_ai.usage.input_tokens", 1000L).setAttribute("gen_ai.usage.output_tokens", 500L)
                    .setAttribute("gen_ai.input.messages", messages)
                    .setAttribute("gen_ai.prompt.0.content", "my card is " + card)
                    .setAttribute("input.value", "{\"api_key\": \"" + key + "\"}")
                    .setAttribute("app.debug", "aws key " + aws)
                    .setAttribute("app.customer", "ssn " + ssn + ", iban " + iban)
                    .setAttribute("http.request.header.authorization", jwt)
                    .setAttribute(AttributeKey.stringArrayKey("app.contacts"), List.of(email, phone))
                    .setAttribute("user.id", userEmail)
                    .startSpan();
            span.addEvent("gen_ai.choice", Attributes.of(AttributeKey.stringKey("gen_ai.completion.0.content"),
                    "Sure, I will write to " + email));
            span.setStatus(StatusCode.ERROR, "card " + card + " declined");
            span.end(start.plusSeconds(1));
        }
        provider.forceFlush().join(30, java.util.concurrent.TimeUnit.SECONDS);
        provider.shutdown();
        // Logs of the same application, with the same kinds of secrets in body and attributes.
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            String email = email(random);
            String card = card(random);
            String key = "sk-proj-" + alnum(random, 32);
            String ssn = ssn(random);
            String iban = iban(random);
            String jwt = jwt(random);
            String phone = phone(random);
            String aws = "AKIA" + alnum(random, 16).toUpperCase();
            seeded.addAll(List.of(email, card, key, ssn, iban, jwt, phone, aws));
            records.append(i == 0 ? "" : ",").append("{\"timeUnixNano\":\"").append(OtlpJson.nowNanos())
                    .append("\",\"severityNumber\":9,\"body\":{\"stringValue\":\"payment by ").append(email)
                    .append(" with card ").append(card).append(", ssn ").append(ssn).append(", iban ").append(iban)
                    .append("\"},\"attributes\":[{\"key\":\"api.key\",")
                    .append("\"value\":{\"stringValue\":\"").append(key).append("\"}},{\"key\":\"auth\",")
                    .append("\"value\":{\"stringValue\":\"").append(jwt).append(" from ").append(phone)
                    .append(" ").append(aws).append("\"}}]}");
        }
        io.restassured.RestAssured.given().baseUri(suite.ingestHttpUrl())
                .header("Authorization", Llm.bearer(suite, tenant)).contentType("application/json")
                .body("{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
                        + "{\"stringValue\":\"pii-app\"}}]},\"scopeLogs\":[{\"logRecords\":[" + records + "]}]}]}")
                .post("/v1/logs").then().statusCode(200);

        // Metrics of the same application (SDK exporter), with every kind in data-point and resource attributes.
        List<String> metricSecrets = List.of(email(random), phone(random), card(random), ssn(random), iban(random),
                "sk-proj-" + alnum(random, 32), "AKIA" + alnum(random, 16).toUpperCase(), jwt(random));
        seeded.addAll(metricSecrets);
        seeded.add(metricSecrets.get(2).replace(" ", ""));
        io.opentelemetry.api.common.AttributesBuilder resourceSecrets = Attributes.builder()
                .put("service.name", "pii-app");
        io.opentelemetry.api.common.AttributesBuilder pointSecrets = Attributes.builder();
        for (int i = 0; i < metricSecrets.size(); i++) {
            resourceSecrets.put("deployment.note." + i, "see " + metricSecrets.get(i));
            pointSecrets.put("app.note." + i, "for " + metricSecrets.get(i));
        }
        io.opentelemetry.sdk.metrics.SdkMeterProvider meters = io.opentelemetry.sdk.metrics.SdkMeterProvider.builder()
                .setResource(Resource.create(resourceSecrets.build()))
                .registerMetricReader(io.opentelemetry.sdk.metrics.export.PeriodicMetricReader.builder(
                        io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter.builder()
                                .setEndpoint("http://127.0.0.1:" + suite.ingestGrpcPort)
                                .addHeader("Authorization", Llm.bearer(suite, tenant)).build()).build())
                .build();
        meters.get("pii").counterBuilder("app.logins").build().add(1, pointSecrets.build());
        assertThat(meters.forceFlush().join(30, java.util.concurrent.TimeUnit.SECONDS).isSuccess()).isTrue();
        meters.shutdown().join(30, java.util.concurrent.TimeUnit.SECONDS);
        String points = suite.postgres.psql("SELECT row_to_json(m)::text FROM metric_points m WHERE tenant = '"
                + tenant + "'");
        assertThat(points).contains("app.logins", "<EMAIL>", "<PHONE>", "<CREDIT_CARD>", "<US_SSN>", "<IBAN>",
                "<API_KEY>", "<AWS_ACCESS_KEY>", "<JWT>");
        for (String value : metricSecrets) {
            assertThat(points).as("metric_points must not hold " + value).doesNotContain(value);
        }

        String spans = suite.postgres.psql("SELECT row_to_json(s)::text FROM spans s WHERE tenant = '" + tenant + "'");
        String calls = suite.postgres.psql("SELECT row_to_json(c)::text FROM llm_calls c WHERE tenant = '" + tenant + "'");
        assertThat(spans.lines().count()).isEqualTo(40);
        assertThat(calls.lines().count()).isEqualTo(40);
        for (String value : seeded) {
            assertThat(spans).as("spans must not hold " + value).doesNotContain(value);
            assertThat(calls).as("llm_calls must not hold " + value).doesNotContain(value);
        }
        // Every table (rollups, logs, metric points, audit rows too), and everything sent to Tempo and Loki.
        assertThat(suite.postgres.psql("SELECT count(*) FROM logs WHERE tenant = '" + tenant + "'")).isEqualTo("10");
        String dump = suite.postgres.dumpData();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while ((tempo.spanIdsOf(tenant) < 40 || loki.pushesOf(tenant) == 0) && System.nanoTime() < deadline) {
            Suite.sleep(200);
        }
        assertThat(tempo.spanIdsOf(tenant)).as("spans exported to Tempo").isEqualTo(40);
        assertThat(loki.pushesOf(tenant)).as("pushes to Loki").isPositive();
        String exported = String.join("\n", tempo.requests) + String.join("\n", loki.pushes);
        for (String value : seeded) {
            assertThat(dump).as("no table may hold " + value).doesNotContain(value);
            assertThat(exported).as("no Tempo export or Loki push may hold " + value).doesNotContain(value);
        }
        assertThat(String.join("", loki.pushes)).contains("<EMAIL>", "<CREDIT_CARD>");
        // What was removed is typed, the span says it was scrubbed, and the calls still count per (hashed) user.
        assertThat(spans).contains("<EMAIL>", "<PHONE>", "<CREDIT_CARD>", "<API_KEY>", "<AWS_ACCESS_KEY>",
                "<US_SSN>", "<IBAN>", "<JWT>", "observatory.pii.redactions");
        assertThat(suite.postgres.psql("SELECT count(DISTINCT user_id), min(user_id) LIKE '<EMAIL:%>', sum(cost_usd) "
                + "FROM llm_calls WHERE tenant = '" + tenant + "'")).isEqualTo("1|t|0.300000000000");
    }

    private static String email(Random r) {
        return alnum(r, 8).toLowerCase() + "." + alnum(r, 5).toLowerCase() + "@" + alnum(r, 6).toLowerCase() + ".example.com";
    }

    /** An SSN in a valid area (not 000, 666 or 9xx), group and serial. */
    private static String ssn(Random r) {
        return (100 + r.nextInt(565)) + "-" + (10 + r.nextInt(89)) + "-" + (1000 + r.nextInt(8999));
    }

    /** A German IBAN with valid check digits (ISO 13616 mod 97). */
    private static String iban(Random r) {
        String bban = digits(r, 18);
        java.math.BigInteger n = new java.math.BigInteger(bban + "131400"); // D=13, E=14, check digits 00
        int check = 98 - n.mod(java.math.BigInteger.valueOf(97)).intValue();
        return "DE" + (check < 10 ? "0" : "") + check + bban;
    }

    private static String jwt(Random r) {
        return "eyJhbGciOiJIUzI1NiJ9.eyJ" + alnum(r, 24) + "." + alnum(r, 40);
    }

    private static String phone(Random r) {
        return "+1 " + (2 + r.nextInt(8)) + digits(r, 2) + " " + (2 + r.nextInt(8)) + digits(r, 2) + " " + digits(r, 4);
    }

    /** A Visa-style number with a valid Luhn check digit, grouped in fours. */
    private static String card(Random r) {
        String body = "4" + digits(r, 14);
        for (int check = 0; check < 10; check++) {
            String candidate = body + check;
            if (luhn(candidate)) {
                return candidate.replaceAll("(\\d{4})(?=\\d)", "$1 ");
            }
        }
        throw new IllegalStateException();
    }

    private static boolean luhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    private static String digits(Random r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(r.nextInt(10));
        }
        return sb.toString();
    }

    private static String alnum(Random r, int n) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString();
    }
}
