package io.llmobservatory.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster started from the machine's PostgreSQL binaries (no Docker). As root it runs
 * the server as the {@code postgres} user, because initdb refuses to run as root. Tuned for tests (fsync off);
 * never use it for data you want to keep.
 *
 * <p>{@code OBSERVATORY_PG_LAYOUT=timescaledb} starts it with TimescaleDB preloaded, so the migrations lay the
 * database out as hypertables ({@link TimescaleLayoutCondition} skips the tests where the extension is not
 * installed); unset or {@code postgres}, it is plain PostgreSQL.
 */
public final class PostgresCluster implements AutoCloseable {
    private static final String USER = "postgres";
    private static final String DATABASE = "postgres";

    private final Path binDir;
    private final Path dataDir;
    private final int port;
    private final boolean asPostgresUser;

    private PostgresCluster(Path binDir, Path dataDir, int port, boolean asPostgresUser) {
        this.binDir = binDir;
        this.dataDir = dataDir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** The layout the tests asked for: {@code OBSERVATORY_PG_LAYOUT} is {@code timescaledb}. */
    public static boolean timescaleRequested() {
        return "timescaledb".equalsIgnoreCase(System.getenv().getOrDefault("OBSERVATORY_PG_LAYOUT", "postgres").trim());
    }

    /** Whether TimescaleDB is installed for these binaries (its control file in the extension directory). */
    public static boolean timescaleInstalled() {
        return Files.exists(extensionDir(findBinDir()).resolve("timescaledb.control"));
    }

    private static Path extensionDir(Path bin) {
        Path pgConfig = bin.resolve("pg_config");
        if (Files.isExecutable(pgConfig)) {
            try {
                Process p = new ProcessBuilder(pgConfig.toString(), "--sharedir").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor() == 0 && !out.isEmpty()) {
                    return Path.of(out, "extension");
                }
            } catch (IOException e) {
                // fall back to Debian's layout below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Debian: /usr/lib/postgresql/<major>/bin -> /usr/share/postgresql/<major>/extension
        return Path.of("/usr/share/postgresql", bin.getParent().getFileName().toString(), "extension");
    }

    /** Creates and starts a new cluster on a free loopback port; it is removed when the JVM exits. */
    public static PostgresCluster start() {
        Path bin = findBinDir();
        boolean root = isRoot();
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "observatory-pg-");
            PostgresCluster cluster = new PostgresCluster(bin, dir.resolve("data"), freePort(), root);
            if (root) {
                run(List.of("chown", "-R", USER, dir.toString()), dir);
            }
            cluster.initdb();
            cluster.startServer();
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "postgres-cluster-stop"));
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public String user() {
        return USER;
    }

    public String database() {
        return DATABASE;
    }

    /** The URL form our services take ({@code observatory.db.url}). */
    public String url() {
        return "postgresql://" + host() + ":" + port + "/" + DATABASE;
    }

    public String jdbcUrl() {
        return "jdbc:" + url();
    }

    /** Stops the server (fast shutdown), keeping the data, so a test can simulate a database outage. */
    public void stopServer() {
        pgCtl("-m", "fast", "stop");
    }

    /** Starts a stopped server again on the same port with the same data. */
    public void startServer() {
        String options = "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dataDir.getParent()
                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
                + (timescaleRequested() ? " -c shared_preload_libraries=timescaledb" : "")
                + " " + System.getenv().getOrDefault("OBSERVATORY_PG_OPTIONS", "");
        pgCtl("-l", dataDir.getParent().resolve("server.log").toString(), "-w", "-t", "60", "-o", options, "start");
    }

    /** Runs SQL through psql and returns its unaligned, tuples-only output (for test assertions). */
    public String psql(String sql) {
        return run(command(binDir.resolve("psql").toString(), "-X", "-q", "-A", "-t", "-h", host(), "-p",
                String.valueOf(port), "-U", USER, "-d", DATABASE, "-v", "ON_ERROR_STOP=1", "-c", sql),
                dataDir.getParent()).trim();
    }

    /** Every row of every table of the database, as pg_dump writes them (data only). */
    public String dumpData() {
        return run(command(binDir.resolve("pg_dump").toString(), "--data-only", "-h", host(), "-p",
                String.valueOf(port), "-U", USER, DATABASE), dataDir.getParent());
    }

    @Override
    public synchronized void close() {
        if (!Files.exists(dataDir)) {
            return;
        }
        try {
            pgCtl("-m", "immediate", "stop");
        } catch (RuntimeException ignored) {
            // already stopped
        }
        deleteRecursively(dataDir.getParent());
    }

    private void initdb() {
        run(command(binDir.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", USER, "--auth=trust",
                "-E", "UTF8", "--locale=C.UTF-8", "-N"), dataDir.getParent());
    }

    private void pgCtl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString()));
        cmd.addAll(Arrays.asList(args));
        run(command(cmd.toArray(String[]::new)), dataDir.getParent());
    }

    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        if (asPostgresUser) {
            cmd.addAll(List.of("runuser", "-u", USER, "--"));
        }
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    private static String run(List<String> cmd, Path workDir) {
        try {
            Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("failed (" + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + out
                        + serverLog(workDir));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String serverLog(Path dir) {
        Path log = dir.resolve("server.log");
        try {
            return Files.exists(log) ? "\nserver.log:\n" + Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The PostgreSQL binaries: {@code OBSERVATORY_PG_BIN}, else the newest under /usr/lib/postgresql. */
    static Path findBinDir() {
        String configured = System.getenv("OBSERVATORY_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path base = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(base)) {
            try (Stream<Path> versions = Files.list(base)) {
                return versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparingInt(b -> parseVersion(b.getParent().getFileName().toString())))
                        .orElseThrow(() -> new IllegalStateException(missingBinaries()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException(missingBinaries());
    }

    private static int parseVersion(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String missingBinaries() {
        return "PostgreSQL binaries not found under /usr/lib/postgresql/*/bin: install them with "
                + "'apt-get install -y postgresql' or set OBSERVATORY_PG_BIN";
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: it lives under /tmp
        }
    }
}
