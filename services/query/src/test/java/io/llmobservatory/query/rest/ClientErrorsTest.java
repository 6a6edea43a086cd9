package io.llmobservatory.query.rest;

import io.llmobservatory.testkit.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client's mistake is a 400 naming the parameter, on every endpoint: a NUL byte in any string parameter (found by
 * reflection over every resource, so a new endpoint or parameter is covered without editing this test), a number
 * that is not one or overflows, a value PostgreSQL refuses as a data exception; never 404 or "store unavailable".
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class ClientErrorsTest {

    /** Every GET endpoint and every query parameter it takes, read from the resource classes. */
    record Endpoint(String path, Set<String> queryParameters) {
    }

    static List<Class<?>> resources() throws IOException {
        java.nio.file.Path root = Paths.get("target/classes");
        List<Class<?>> out = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.walk(root)) {
            for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                try {
                    Class<?> c = Class.forName(name, false, ClientErrorsTest.class.getClassLoader());
                    if (c.isAnnotationPresent(Path.class)) {
                        out.add(c);
                    }
                } catch (ClassNotFoundException | LinkageError e) {
                    // generated or synthetic classes that are not resources
                }
            }
        }
        return out;
    }

    static List<Endpoint> endpoints() throws IOException {
        List<Endpoint> out = new ArrayList<>();
        for (Class<?> c : resources()) {
            for (Method m : c.getDeclaredMethods()) {
                if (!m.isAnnotationPresent(GET.class)) {
                    continue;
                }
                String path = c.getAnnotation(Path.class).value()
                        + (m.isAnnotationPresent(Path.class) ? m.getAnnotation(Path.class).value() : "");
                path = path.replace("{traceId}", "5b8efff798038103d269b633813fc60c").replaceAll("\\{[^}]+}", "x");
                Set<String> names = new LinkedHashSet<>();
                for (Parameter p : m.getParameters()) {
                    if (p.isAnnotationPresent(QueryParam.class)) {
                        names.add(p.getAnnotation(QueryParam.class).value());
                    }
                    if (p.isAnnotationPresent(BeanParam.class)) {
                        for (Field f : p.getType().getFields()) {
                            if (f.isAnnotationPresent(QueryParam.class)) {
                                names.add(f.getAnnotation(QueryParam.class).value());
                            }
                        }
                    }
                }
                out.add(new Endpoint(path, names));
            }
        }
        return out;
    }

    @Test
    void aNulByteInAnyStringParameterOfAnyEndpointIsA400NamingIt() throws IOException {
        List<Endpoint> endpoints = endpoints();
        assertThat(endpoints).extracting(Endpoint::path).contains("/api/v1/costs/by-model", "/api/v1/metrics/genai",
                "/api/v1/traces", "/loki/api/v1/query_range", "/api/search", "/api/v1/admin/keys");
        int checked = 0;
        for (Endpoint e : endpoints) {
            for (String name : e.queryParameters()) {
                Response r = RestAssured.given().urlEncodingEnabled(false).get(e.path() + "?" + name + "=a%00b");
                assertThat(r.statusCode()).as(e.path() + " " + name + ": " + r.asString()).isEqualTo(400);
                assertThat(r.jsonPath().getInt("status")).isEqualTo(400);
                assertThat(r.jsonPath().getString("error")).isEqualTo("bad_request");
                assertThat(r.jsonPath().getString("message")).as(e.path()).contains(name);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(40);
        // In a path parameter, and inside query languages' strings (TraceQL, LogQL label values).
        Response path = RestAssured.given().urlEncodingEnabled(false).get("/api/v1/traces/ab%00cd");
        assertThat(path.statusCode()).isEqualTo(400);
        assertThat(path.jsonPath().getString("message")).contains("traceId");
        Response traceql = RestAssured.given().urlEncodingEnabled(false)
                .get("/api/v1/traces?q=%7B%20.a%20%3D%20%22x%00y%22%20%7D");
        assertThat(traceql.statusCode()).isEqualTo(400);
        assertThat(traceql.jsonPath().getString("message")).contains("q");
        Response logql = RestAssured.given().urlEncodingEnabled(false)
                .get("/loki/api/v1/query_range?query=%7Bservice_name%3D%22a%00b%22%7D");
        assertThat(logql.statusCode()).isEqualTo(400);
        assertThat(logql.jsonPath().getString("message")).contains("query");
    }

    /** JAX-RS answers a number its own conversion refuses with 404 and no name: no resource may let it convert. */
    @Test
    void everyParameterIsReadAsTextSoConversionErrorsAreOurs() throws IOException {
        for (Class<?> c : resources()) {
            for (Method m : c.getDeclaredMethods()) {
                for (Parameter p : m.getParameters()) {
                    if (p.isAnnotationPresent(QueryParam.class) || p.isAnnotationPresent(PathParam.class)
                            || p.isAnnotationPresent(HeaderParam.class)) {
                        assertThat(p.getType()).as(c.getSimpleName() + "." + m.getName() + " " + p).isEqualTo(String.class);
                    }
                }
            }
        }
        for (Field f : CommonParams.class.getFields()) {
            assertThat(f.getType()).as(f.getName()).isEqualTo(String.class);
        }
    }

    @ParameterizedTest(name = "{0}?{1}={2}")
    @CsvSource(delimiter = '|', textBlock = """
            /api/v1/requests/expensive | limit    | 2147483648
            /api/v1/requests/expensive | limit    | 1e3
            /api/v1/requests/expensive | offset   | 99999999999
            /api/v1/models/compare     | offset   | ten
            /api/v1/users/activity     | limit    | -99999999999
            /api/v1/logs               | severity | 999999999999
            /api/v1/logs               | limit    | 1.5
            /api/v1/traces             | limit    | 2147483648
            /loki/api/v1/query_range   | limit    | 1e3
            /api/search                | limit    | 99999999999
            /api/search                | start    | 1e9
            /api/search                | end      | 99999999999999999999
            /api/search                | start    | 9223372036854775807
            /api/v1/admin/keys         | includeRevoked | maybe
            """)
    void aNumberThatIsNotOneOrOverflowsIsA400NamingIt(String path, String name, String value) {
        Response r = RestAssured.given().queryParam(name, value).get(path);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
        assertThat(r.jsonPath().getString("error")).isEqualTo("bad_request");
        assertThat(r.jsonPath().getString("message")).contains(name);
    }

    /** A value PostgreSQL refuses as a data exception (class 22) is the client's, not an outage. */
    @Test
    void aValueTheStoreRefusesIsA400NotUnavailable() {
        // A decimal PostgreSQL's numeric cannot hold (SQLSTATE 22003), which the resource passes on as sent.
        Response r = RestAssured.given().queryParam("minCostUsd", "1e200000").get("/api/v1/requests/expensive");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
        assertThat(r.jsonPath().getString("error")).isEqualTo("bad_request");
        assertThat(r.jsonPath().getString("message")).contains("SQLSTATE 22");
    }
}
