package io.llmobservatory.query.store;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A local HTTP server that replays recorded Tempo/Loki answers (test resources) per path, refusing requests without
 * {@code X-Scope-OrgID} the way multi-tenant Tempo and Loki do (401 "no org id"). Records what it was asked.
 */
final class RecordedServer implements AutoCloseable {
    record Answer(int status, String resource) {
    }

    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    final List<String> tenants = Collections.synchronizedList(new ArrayList<>());
    private final HttpServer server;

    RecordedServer(Function<String, Answer> routes) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String tenant = exchange.getRequestHeaders().getFirst("X-Scope-OrgID");
            String uri = exchange.getRequestURI().toString();
            requests.add(uri);
            tenants.add(tenant);
            Answer answer = tenant == null ? new Answer(401, "/tempo/no-org-id.txt") : routes.apply(uri);
            byte[] body = read(answer.resource());
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = RecordedServer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing recording " + resource);
            }
            return in.readAllBytes();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static Map<String, Object> noAttributes() {
        return Map.of();
    }
}
