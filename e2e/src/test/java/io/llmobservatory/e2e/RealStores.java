package io.llmobservatory.e2e;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Real Grafana Tempo and Loki as processes, from the binaries that {@code OBSERVATORY_TEMPO_BIN} and
 * {@code OBSERVATORY_LOKI_BIN} name (or the system properties {@code observatory.tempo.bin} / {@code .loki.bin}):
 * single binary, multi-tenant ({@code X-Scope-OrgID} required), loopback, free ports, local filesystem storage in a
 * temporary directory. Tests using them are skipped, loudly, when a binary is not found.
 */
final class RealStores {
    static final String TEMPO_BIN = "OBSERVATORY_TEMPO_BIN";
    static final String LOKI_BIN = "OBSERVATORY_LOKI_BIN";

    private RealStores() {
    }

    /** The binary named by {@code env} (or its system property), when it exists and is executable. */
    static Optional<Path> binary(String env) {
        String property = "observatory." + env.replace("OBSERVATORY_", "").replace("_BIN", "").toLowerCase() + ".bin";
        String value = System.getProperty(property, System.getenv(env));
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Path path = Path.of(value);
        return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }

    /** Skips the calling test class (JUnit assumption, and a line on stderr) unless both binaries are found. */
    static void assumeBinaries(String testName) {
        boolean tempo = binary(TEMPO_BIN).isPresent();
        boolean loki = binary(LOKI_BIN).isPresent();
        if (!tempo || !loki) {
            String message = testName + " SKIPPED: no real " + (tempo ? "" : "Tempo ")
                    + (!tempo && !loki ? "and " : "") + (loki ? "" : "Loki ") + "binary (set " + TEMPO_BIN + " and "
                    + LOKI_BIN + " to the tempo and loki executables; got " + TEMPO_BIN + "="
                    + System.getenv(TEMPO_BIN) + ", " + LOKI_BIN + "=" + System.getenv(LOKI_BIN) + ")";
            System.err.println("*** " + message);
            Assumptions.abort(message);
        }
    }

    /** A store process; killed on close, its data deleted (its config and log are kept in its temporary directory). */
    abstract static class Store implements AutoCloseable {
        final Path dir;
        final int httpPort;
        private final Process process;
        private final String name;

        Store(String name, Path binary, String config, int httpPort) throws IOException {
            this.name = name;
            this.dir = Files.createTempDirectory("observatory-" + name + "-");
            this.httpPort = httpPort;
            Path file = dir.resolve(name + ".yaml");
            Files.writeString(file, config.replace("@DIR@", dir.toString()));
            this.process = new ProcessBuilder(binary.toString(), "-config.file=" + file).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(name + ".log").toFile()).start();
        }

        String url() {
            return "http://127.0.0.1:" + httpPort;
        }

        /** Waits until {@code /ready} answers 200 (Tempo takes about 15 s after start). */
        void awaitReady() {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/ready")).timeout(Duration.ofSeconds(5)).build();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            String last = "";
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited during start-up; see " + dir.resolve(name + ".log"));
                }
                try {
                    HttpResponse<String> response = client.send(ready, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return;
                    }
                    last = response.body().strip();
                } catch (IOException e) {
                    last = e.toString();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                Suite.sleep(500);
            }
            throw new IllegalStateException(name + " not ready after 120 s (" + last + "); see " + dir.resolve(name + ".log"));
        }

        @Override
        public void close() throws InterruptedException {
            // SIGTERM makes Tempo flush for 30-40 s; the data is thrown away, so kill it.
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .filter(p -> !p.equals(dir) && !p.getFileName().toString().startsWith(name + "."))
                        .forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not delete " + name + "'s data in " + dir + ": " + e);
            }
        }
    }

    static final class Tempo extends Store {
        final int otlpGrpcPort;

        private Tempo(Path binary, int httpPort, int otlpGrpcPort) throws IOException {
            super("tempo", binary, """
                    multitenancy_enabled: true
                    server:
                      http_listen_address: 127.0.0.1
                      http_listen_port: %d
                      grpc_listen_address: 127.0.0.1
                      grpc_listen_port: %d
                    distributor:
                      receivers:
                        otlp:
                          protocols:
                            grpc:
                              endpoint: 127.0.0.1:%d
                    ingester:
                      lifecycler:
                        address: 127.0.0.1
                        ring:
                          kvstore:
                            store: inmemory
                          replication_factor: 1
                    memberlist:
                      bind_addr: [127.0.0.1]
                      bind_port: %d
                    storage:
                      trace:
                        backend: local
                        wal:
                          path: @DIR@/wal
                        local:
                          path: @DIR@/blocks
                    usage_report:
                      reporting_enabled: false
                    """.formatted(httpPort, Suite.freePort(), otlpGrpcPort, Suite.freePort()), httpPort);
            this.otlpGrpcPort = otlpGrpcPort;
        }

        static Tempo start() throws IOException {
            return new Tempo(binary(TEMPO_BIN).orElseThrow(), Suite.freePort(), Suite.freePort());
        }

        String otlpEndpoint() {
            return "127.0.0.1:" + otlpGrpcPort;
        }
    }

    static final class Loki extends Store {
        private Loki(Path binary, int httpPort) throws IOException {
            super("loki", binary, """
                    auth_enabled: true
                    server:
                      http_listen_address: 127.0.0.1
                      http_listen_port: %d
                      grpc_listen_address: 127.0.0.1
                      grpc_listen_port: %d
                    common:
                      instance_addr: 127.0.0.1
                      path_prefix: @DIR@
                      storage:
                        filesystem:
                          chunks_directory: @DIR@/chunks
                          rules_directory: @DIR@/rules
                      replication_factor: 1
                      ring:
                        kvstore:
                          store: inmemory
                    schema_config:
                      configs:
                        - from: 2020-10-24
                          store: tsdb
                          object_store: filesystem
                          schema: v12
                          index:
                            prefix: index_
                            period: 24h
                    analytics:
                      reporting_enabled: false
                    """.formatted(httpPort, Suite.freePort()), httpPort);
        }

        static Loki start() throws IOException {
            return new Loki(binary(LOKI_BIN).orElseThrow(), Suite.freePort());
        }
    }
}
