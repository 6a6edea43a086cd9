package io.llmobservatory.query.auth;

import io.llmobservatory.query.rest.Rollups;
import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * Keys required: the key admin API, 401/403 without leaking why, and tenant isolation through every read endpoint
 * of the query API — tenant A's key never sees tenant B's rows, and naming B in the tenant header is a 403.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@TestProfile(AuthApiTest.KeysRequired.class)
class AuthApiTest {
    static final String OPERATOR = "test-operator-key-0123456789abcdef";
    private static final String A = "auth-tenant-a";
    private static final String B = "auth-tenant-b";
    /** Appears in every kind of row of tenant B (model, user, span name, log body); never in an answer to A. */
    private static final String MARKER = "b-only-marker";
    private static final String TRACE_A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1";
    private static final String TRACE_B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2";

    public static class KeysRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("observatory.auth.enabled", "true", "observatory.auth.operator-key", OPERATOR);
        }
    }

    private static String keyA;
    private static String keyB;

    @BeforeAll
    static void fixtures() {
        PostgresCluster pg = PostgresTestResource.cluster();
        for (String[] t : new String[][]{{A, TRACE_A, "model-a", "user-a", "hello from a"},
                {B, TRACE_B, "model-" + MARKER, "user-" + MARKER, "log " + MARKER}}) {
            pg.psql("DELETE FROM llm_calls WHERE tenant = '" + t[0] + "'; DELETE FROM spans WHERE tenant = '" + t[0]
                    + "'; DELETE FROM logs WHERE tenant = '" + t[0] + "'");
            pg.psql("INSERT INTO llm_calls (tenant, trace_id, span_id, time, service_name, provider, model, input_tokens, "
                    + "output_tokens, cost_usd, priced, price_source, status_code, duration_ns, dialect, user_id) VALUES ('"
                    + t[0] + "', decode('" + t[1] + "','hex'), decode('00000000000000c1','hex'), now() - interval '10 minutes',"
                    + " 'svc', 'openai', '" + t[2] + "', 100, 10, 5, true, 'x', 2, 1000000, 'otel-genai', '" + t[3] + "')");
            pg.psql("INSERT INTO spans (tenant, trace_id, span_id, name, kind, start_time, start_time_unix_nano, "
                    + "end_time_unix_nano, duration_ns, status_code, service_name, attributes, events, links, "
                    + "resource_attributes, scope_name, scope_attributes) VALUES ('" + t[0] + "', decode('" + t[1]
                    + "','hex'), decode('00000000000000c1','hex'), 'chat " + t[2] + "', 3, now() - interval '10 minutes',"
                    + " (extract(epoch from now() - interval '10 minutes') * 1e9)::bigint,"
                    + " (extract(epoch from now() - interval '10 minutes') * 1e9)::bigint + 1000000, 1000000, 2, 'svc',"
                    + " '{\"gen_ai.request.model\":\"" + t[2] + "\"}', '[]', '[]', '{\"service.name\":\"svc\"}', 'lib', '{}')");
            pg.psql("INSERT INTO logs (tenant, log_id, time, time_unix_nano, observed_time_unix_nano, severity_number, body,"
                    + " attributes, service_name, resource_attributes) VALUES ('" + t[0] + "', decode('" + t[1]
                    + "','hex'), now() - interval '10 minutes', (extract(epoch from now() - interval '10 minutes') * 1e9)::bigint,"
                    + " 0, 9, '\"" + t[4] + "\"', '{}', 'svc', '{\"service.name\":\"svc\"}')");
        }
        Rollups.rebuild(pg);
    }

    /** Tenant keys, created through the API on first use (RestAssured knows the port only inside a test). */
    @org.junit.jupiter.api.BeforeEach
    void keys() {
        if (keyA == null) {
            keyA = create(OPERATOR, A, List.of("query", "ingest")).path("token");
            keyB = create(OPERATOR, B, List.of("query")).path("token");
        }
    }

    /** Every read endpoint of the query API (REST, Tempo- and Loki-compatible). */
    static Stream<String> endpoints() {
        return Stream.of("/api/v1/costs/by-model", "/api/v1/latency/trend?bucket=1h&groupBy=model",
                "/api/v1/latency/trend?bucket=1h&groupBy=model&exact=true", "/api/v1/requests/expensive",
                "/api/v1/models/compare", "/api/v1/users/activity", "/api/v1/spend",
                "/api/v1/errors/trend?bucket=1h&groupBy=model", "/api/v1/traces?q=" + encode("{}"),
                "/api/v1/traces?q=" + encode("{ name =~ \".*\" }"), "/api/v1/logs", "/api/v1/metrics/genai",
                "/api/search?q=" + encode("{}"), "/loki/api/v1/query_range?query=" + encode("{service_name=\"svc\"}"));
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void tenantKeysSeeOnlyTheirOwnTenant(String endpoint) {
        Response mine = as(keyA).get(endpoint);
        assertThat(mine.statusCode()).as(endpoint).isEqualTo(200);
        assertThat(mine.asString()).as(endpoint).doesNotContain(MARKER);
        // Naming the other tenant with one's own key is refused, not answered with the key's tenant.
        as(keyA).header("X-Scope-OrgID", B).get(endpoint).then().statusCode(403)
                .body("message", equalTo("this API key belongs to another tenant than X-Scope-OrgID names"));
        // The marker really is there for its owner (so the check above can fail) where the answer lists rows.
        if (!endpoint.contains("spend") && !endpoint.contains("metrics/genai")) {
            assertThat(as(keyB).get(endpoint).asString()).as(endpoint + " for B").contains(MARKER);
        }
    }

    @Test
    void anotherTenantsUserHasNoSpend() {
        as(keyA).get("/api/v1/spend?user=user-" + MARKER).then().statusCode(200)
                .body("userSpend.last24hUsd", equalTo(0)).body("userSpend.requestsLast30d", equalTo(0));
        as(keyB).get("/api/v1/spend?user=user-" + MARKER).then().statusCode(200)
                .body("userSpend.last24hUsd", equalTo(5)).body("userSpend.requestsLast30d", equalTo(1));
    }

    @Test
    void anotherTenantsTraceIsNotFound() {
        as(keyA).get("/api/v1/traces/" + TRACE_B).then().statusCode(404);
        as(keyA).get("/api/traces/" + TRACE_B).then().statusCode(404);
        as(keyB).get("/api/v1/traces/" + TRACE_B).then().statusCode(200);
        as(keyA).get("/api/v1/traces/" + TRACE_A).then().statusCode(200);
    }

    @Test
    void operatorActsOnTheTenantItNames() {
        as(OPERATOR).header("X-Scope-OrgID", B).get("/api/v1/costs/by-model").then().statusCode(200)
                .body("models.model", hasItem("model-" + MARKER));
        as(OPERATOR).header("X-Scope-OrgID", A).get("/api/v1/costs/by-model").then().statusCode(200)
                .body("models.model", not(hasItem("model-" + MARKER)));
    }

    static Stream<Map.Entry<String, String>> badCredentials() {
        return Stream.of(Map.entry("none", ""), Map.entry("malformed", "Bearer not-a-key"),
                Map.entry("unknown", "Bearer obs_0123456789abcdef_" + "A".repeat(43)),
                Map.entry("wrong operator", "Bearer " + OPERATOR + "x"));
    }

    @ParameterizedTest
    @MethodSource("badCredentials")
    void missingOrInvalidKeysAre401WithoutSayingWhy(Map.Entry<String, String> credential) {
        RequestSpecification r = RestAssured.given();
        if (!credential.getValue().isEmpty()) {
            r.header("Authorization", credential.getValue());
        }
        r.get("/api/v1/costs/by-model").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("message", equalTo("missing or invalid API key"));
        // Health and metrics stay open for probes and scrapers.
        RestAssured.given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void xApiKeyHeaderWorksLikeBearer() {
        RestAssured.given().header("x-api-key", keyA).get("/api/v1/costs/by-model").then().statusCode(200);
    }

    @Test
    void scopesAreEnforced() {
        String ingestOnly = create(OPERATOR, A, List.of("ingest")).path("token");
        as(ingestOnly).get("/api/v1/costs/by-model").then().statusCode(403)
                .body("message", equalTo("this API key lacks the 'query' scope"));
        // Managing keys needs admin.
        as(keyA).get("/api/v1/admin/keys").then().statusCode(403);
        create(keyA, A, List.of("query")).then().statusCode(403);
    }

    @Test
    void keyLifecycleAndTenantAdmins() {
        Response created = create(OPERATOR, A, List.of("admin", "query"));
        created.then().statusCode(201);
        String adminA = created.path("token");
        String adminAId = created.path("id");
        assertThat(adminA).startsWith("obs_" + adminAId + "_");

        // A tenant admin manages its own tenant's keys only.
        create(adminA, B, List.of("query")).then().statusCode(403);
        Response own = create(adminA, null, List.of("query"));
        own.then().statusCode(201).body("tenant", equalTo(A));
        String ownId = own.path("id");
        List<String> tenantsSeen = as(adminA).get("/api/v1/admin/keys").then().statusCode(200).extract().path("tenant");
        assertThat(tenantsSeen).isNotEmpty().containsOnly(A);
        // Listing never shows a token or hash.
        assertThat(as(adminA).get("/api/v1/admin/keys").asString()).doesNotContain("obs_").doesNotContain("sha256");
        String bKeyId = as(OPERATOR).queryParam("tenant", B).get("/api/v1/admin/keys").path("[0].id");
        as(adminA).delete("/api/v1/admin/keys/" + bKeyId).then().statusCode(404);
        as(keyB).get("/api/v1/costs/by-model").then().statusCode(200);

        // Revocation takes effect at once in the owning service.
        String token = own.path("token");
        as(token).get("/api/v1/costs/by-model").then().statusCode(200);
        as(adminA).delete("/api/v1/admin/keys/" + ownId).then().statusCode(200).body("revokedAt", not(equalTo(null)));
        as(token).get("/api/v1/costs/by-model").then().statusCode(401);
        assertThat(PostgresTestResource.cluster().psql("SELECT count(*) FROM api_keys WHERE id = '" + ownId
                + "' AND revoked_at IS NOT NULL")).isEqualTo("1");
    }

    @Test
    void badKeyRequestsAre400() {
        as(OPERATOR).contentType("application/json").body(Map.of("tenant", A, "scopes", List.of("read")))
                .post("/api/v1/admin/keys").then().statusCode(400)
                .body("message", equalTo("unknown scope 'read'; scopes are ingest, query, admin"));
        as(OPERATOR).contentType("application/json").body(Map.of("tenant", A)).post("/api/v1/admin/keys")
                .then().statusCode(400);
        as(OPERATOR).contentType("application/json").body(Map.of("tenant", "bad tenant!", "scopes", List.of("query")))
                .post("/api/v1/admin/keys").then().statusCode(400);
    }

    @Test
    void onlyTheSecretsHashIsStored() {
        Response created = create(OPERATOR, A, List.of("query"));
        String token = created.path("token");
        String stored = PostgresTestResource.cluster().psql("SELECT t::text FROM api_keys t WHERE id = '"
                + created.path("id") + "'");
        assertThat(stored).doesNotContain(token.substring(token.lastIndexOf('_') + 1));
    }

    private static Response create(String as, String tenant, List<String> scopes) {
        Map<String, Object> body = tenant == null ? Map.of("scopes", scopes, "name", "test")
                : Map.of("tenant", tenant, "scopes", scopes, "name", "test");
        return as(as).contentType("application/json").body(body).post("/api/v1/admin/keys");
    }

    private static RequestSpecification as(String token) {
        return RestAssured.given().urlEncodingEnabled(false).header("Authorization", "Bearer " + token);
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
