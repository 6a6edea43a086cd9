package io.llmobservatory.e2e;

import io.llmobservatory.testkit.PostgresCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command as a user runs it: {@code ./observatory up} starts its own PostgreSQL (with TimescaleDB
 * preloaded wherever the extension is installed, so an installed but not preloaded TimescaleDB never stops it), says
 * which storage layout the suite runs on, and prints a key that works; pointed at another database, it prints a key
 * that works there too. Uses the default ports, like a user's machine.
 */
class ObservatoryScriptIT {
    private static final Pattern KEY = Pattern.compile("API key\\s+(obs_\\S+)");
    private static final Pattern STORAGE = Pattern.compile("Storage\\s+(.+)");
    private static final Path ROOT = Path.of(System.getProperty("observatory.project.root", "..")).toAbsolutePath().normalize();
    private static Path state;

    @AfterAll
    static void down() throws Exception {
        if (state != null) {
            script(Map.of(), "down");
        }
    }

    @Test
    void upPrintsTheLayoutAndAKeyThatWorksOnWhicheverDatabaseItRunsOn() throws Exception {
        // Readable by others, like the script's own default state directory: as root, PostgreSQL runs as postgres.
        state = Files.createTempDirectory("observatory-up-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        String first = script(Map.of(), "up");
        String key = match(KEY, first);
        assertThat(status(key)).as("the printed key, own database").isEqualTo(200);
        assertThat(match(STORAGE, first)).isEqualTo(PostgresCluster.timescaleInstalled()
                ? "TimescaleDB (hypertables with compression and retention policies)"
                : "plain PostgreSQL (native daily range partitions)");
        script(Map.of(), "down");

        // Another database than the one the kept key was made in.
        try (PostgresCluster other = PostgresCluster.start()) {
            String second = script(Map.of("OBSERVATORY_DB_URL", other.url(), "OBSERVATORY_DB_USER", other.user()), "up");
            String key2 = match(KEY, second);
            assertThat(status(key2)).as("the printed key, other database").isEqualTo(200);
            assertThat(key2).isNotEqualTo(key);
            script(Map.of(), "down");
        }
    }

    private static String match(Pattern p, String out) {
        Matcher m = p.matcher(out);
        assertThat(m.find()).as(p + " in:\n" + out).isTrue();
        return m.group(1).trim();
    }

    private static int status(String key) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/api/v1/costs/by-model?from=1h"))
                .header("Authorization", "Bearer " + key).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String script(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(ROOT.resolve("observatory").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
        Map<String, String> environment = new HashMap<>(env);
        environment.put("OBSERVATORY_STATE_DIR", state.toString());
        environment.put("OBSERVATORY_PG_PORT", String.valueOf(Suite.freePort()));
        pb.environment().putAll(environment);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("./observatory " + String.join(" ", args) + ":\n" + out).isZero();
        return out;
    }
}
