package io.llmobservatory.e2e;

import io.llmobservatory.testkit.PostgresCluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole suite as a user runs it: the packaged services (target/quarkus-app) as separate processes on free
 * ports, and a throwaway PostgreSQL. Started once per test JVM and shared by the test classes; tests isolate
 * their data with their own tenant.
 */
final class Suite {
    /** The suite runs as users deploy it: keys required. This is its operator key; tenants get keys from it. */
    static final String OPERATOR_KEY = "e2e-operator-key-7f3a9c51d2e84b06a1c5f9e2d7b3a8c4";
    private static Suite instance;
    private final Map<String, String> tenantKeys = new java.util.concurrent.ConcurrentHashMap<>();

    final PostgresCluster postgres;
    final int enrichPort;
    final int ingestHttpPort;
    final int ingestGrpcPort;
    final int queryPort;
    final int alertingPort;
    private final Path root;
    private final Path logs;
    private final Map<String, Process> processes = new HashMap<>();

    private Suite() throws IOException {
        root = projectRoot();
        logs = Files.createDirectories(root.resolve("e2e/target/suite-logs"));
        postgres = PostgresCluster.start();
        enrichPort = freePort();
        ingestHttpPort = freePort();
        ingestGrpcPort = freePort();
        queryPort = freePort();
        alertingPort = freePort();
        startEnrich();
        start("ingest", ingestEnv());
        start("query", queryEnv());
        start("alerting", alertingEnv());
        awaitReady("enrich", enrichPort);
        awaitReady("ingest", ingestHttpPort);
        awaitReady("query", queryPort);
        awaitReady("alerting", alertingPort);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "suite-stop"));
    }

    static synchronized Suite get() {
        if (instance == null) {
            try {
                instance = new Suite();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    String queryUrl() {
        return "http://127.0.0.1:" + queryPort;
    }

    String ingestHttpUrl() {
        return "http://127.0.0.1:" + ingestHttpPort;
    }

    /** A key with the ingest and query scopes for {@code tenant}, created through the admin API on first use. */
    String key(String tenant) {
        return tenantKeys.computeIfAbsent(tenant, t -> createKey(t, List.of("ingest", "query")));
    }

    /** A new key for {@code tenant} with {@code scopes}, created with the operator key. */
    String createKey(String tenant, List<String> scopes) {
        return asOperator().baseUri(queryUrl()).contentType("application/json")
                .body(Map.of("tenant", tenant, "scopes", scopes, "name", "e2e")).post("/api/v1/admin/keys")
                .then().statusCode(201).extract().path("token");
    }

    static io.restassured.specification.RequestSpecification asOperator() {
        return io.restassured.RestAssured.given().header("Authorization", "Bearer " + OPERATOR_KEY);
    }

    /** Stops enrich the way an outage does: the process is killed. */
    void killEnrich() throws InterruptedException {
        Process p = processes.remove("enrich");
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    void startEnrich() {
        startEnrich(Map.of());
    }

    /** Starts enrich with {@code env} added to its usual environment. */
    void startEnrich(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(dbEnv(enrichPort));
        all.putAll(env);
        start("enrich", all);
    }

    private Map<String, String> ingestEnv() {
        return Map.of("QUARKUS_HTTP_PORT", String.valueOf(ingestHttpPort),
                "QUARKUS_GRPC_SERVER_PORT", String.valueOf(ingestGrpcPort),
                "OBSERVATORY_INGEST_ENRICH_PORT", String.valueOf(enrichPort),
                // Tests wait for retries; keep the suggested delay short.
                "OBSERVATORY_INGEST_ENRICH_RETRY_AFTER", "1s",
                "OBSERVATORY_AUTH_QUERY_PORT", String.valueOf(queryPort),
                "OBSERVATORY_AUTH_OPERATOR_KEY", OPERATOR_KEY,
                "OBSERVATORY_AUTH_CACHE_TTL", "2s");
    }

    /** Restarts ingest with {@code env} added to its usual environment. */
    void restartIngest(Map<String, String> env) throws InterruptedException {
        restart("ingest", ingestEnv(), env, ingestHttpPort);
    }

    /** Restarts enrich with {@code env} added to its usual environment. */
    void restartEnrich(Map<String, String> env) throws InterruptedException {
        restart("enrich", dbEnv(enrichPort), env, enrichPort);
    }

    private void restart(String service, Map<String, String> usual, Map<String, String> env, int port)
            throws InterruptedException {
        Process p = processes.remove(service);
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        Map<String, String> all = new HashMap<>(usual);
        all.putAll(env);
        start(service, all);
        awaitReady(service, port);
    }

    /**
     * Another query service on its own port, reading the same database, with {@code env} added to its usual
     * environment (e.g. reading traces from Tempo and logs from Loki). Stopped on close.
     */
    Extra startExtraQuery(String name, Map<String, String> env) throws IOException {
        int port = freePort();
        Map<String, String> all = new HashMap<>(dbEnv(port));
        all.putAll(env);
        String key = "query-" + name;
        start("query", key, all);
        awaitReady(key, port);
        return new Extra(key, port);
    }

    /** A service started beside the suite's own. */
    final class Extra implements AutoCloseable {
        private final String key;
        final int port;

        private Extra(String key, int port) {
            this.key = key;
            this.port = port;
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        @Override
        public void close() throws InterruptedException {
            Process p = processes.remove(key);
            if (p != null) {
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /** Restarts the alerting service with {@code env} added to its usual environment. */
    void restartAlerting(Map<String, String> env) throws InterruptedException {
        restart("alerting", alertingEnv(), env, alertingPort);
    }

    /** The alerting service scrapes this suite's ingest and enrich and asks this suite's query service. */
    private Map<String, String> alertingEnv() {
        return Map.of("QUARKUS_HTTP_PORT", String.valueOf(alertingPort),
                "OBSERVATORY_AUTH_OPERATOR_KEY", OPERATOR_KEY, "OBSERVATORY_AUTH_CACHE_TTL", "2s",
                "OBSERVATORY_ALERTING_SCRAPE_TARGETS", "http://127.0.0.1:" + ingestHttpPort + "/q/metrics,http://127.0.0.1:"
                        + enrichPort + "/q/metrics",
                "OBSERVATORY_ALERTING_QUERY_PORT", String.valueOf(queryPort));
    }

    /** The query service; its console reads the alerting service's API through it. */
    private Map<String, String> queryEnv() {
        Map<String, String> env = new HashMap<>(dbEnv(queryPort));
        env.put("OBSERVATORY_QUERY_CONSOLE_ALERTING_URL", "http://127.0.0.1:" + alertingPort);
        return env;
    }

    void awaitEnrichReady() {
        awaitReady("enrich", enrichPort);
    }

    private Map<String, String> dbEnv(int httpPort) {
        return Map.of("QUARKUS_HTTP_PORT", String.valueOf(httpPort),
                // A per-installation PII hash key, as ./observatory up and the manifests give enrich.
                "OBSERVATORY_ENRICH_PII_HASH_KEY", "e2e-suite-pii-hash-key-" + OPERATOR_KEY.hashCode(),
                "OBSERVATORY_DB_URL", postgres.url(),
                "OBSERVATORY_DB_USER", postgres.user(),
                "OBSERVATORY_AUTH_QUERY_PORT", String.valueOf(queryPort),
                "OBSERVATORY_AUTH_OPERATOR_KEY", OPERATOR_KEY,
                "OBSERVATORY_AUTH_CACHE_TTL", "2s");
    }

    private void start(String service, Map<String, String> env) {
        start(service, service, env);
    }

    /** Starts {@code service}'s jar as the process named {@code key} (its log is {@code key}.log). */
    private void start(String service, String key, Map<String, String> env) {
        Path jar = root.resolve("services/" + service + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the build (mvn verify) from the project root");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(key + ".log").toFile()));
        pb.environment().putAll(env);
        try {
            processes.put(key, pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(String service, int port) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            Process p = processes.get(service);
            if (p == null || !p.isAlive()) {
                throw new IllegalStateException(service + " exited during start-up; see " + logs.resolve(service + ".log"));
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        throw new IllegalStateException(service + " not ready after 120s; see " + logs.resolve(service + ".log"));
    }

    private void stopAll() {
        processes.values().forEach(Process::destroy);
        for (Process p : processes.values()) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        postgres.close();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The project's root directory (the build passes it; the e2e module's parent otherwise). */
    static Path projectRoot() {
        return Path.of(System.getProperty("observatory.project.root", "..")).toAbsolutePath().normalize();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
