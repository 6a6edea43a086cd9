package io.llmobservatory.query.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.llmobservatory.shared.loki.LokiFormat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Loki 2.8 stand-in holding one stream of envelope lines of one trace, answering {@code query_range} backwards as
 * Loki does: {@code start} inclusive, {@code end} exclusive, newest first, and 400 (Loki's message) for a
 * {@code limit} above {@code max_entries_limit_per_query} (5000). Records the limits it was asked.
 */
final class PagingLoki implements AutoCloseable {
    static final int MAX_ENTRIES = 5000;
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<Integer> limits = Collections.synchronizedList(new ArrayList<>());
    final List<String> queries = Collections.synchronizedList(new ArrayList<>());
    private final HttpServer server;

    /** {@code count} records of {@code traceId}, two at each nanosecond from {@code firstNs} on. */
    PagingLoki(String traceId, int count, long firstNs) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/loki/api/v1/status/buildinfo", exchange -> {
            byte[] body = "{\"version\":\"2.8.0\",\"revision\":\"0a8ca0b\",\"branch\":\"HEAD\",\"buildUser\":\"\",\"buildDate\":\"\",\"goVersion\":\"\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/loki/api/v1/query_range", exchange -> {
            Map<String, String> q = new LinkedHashMap<>();
            for (String p : exchange.getRequestURI().getRawQuery().split("&")) {
                String[] kv = p.split("=", 2);
                q.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            int limit = Integer.parseInt(q.get("limit"));
            limits.add(limit);
            queries.add(q.get("query"));
            byte[] body;
            int status;
            if (limit > MAX_ENTRIES) {
                status = 400;
                body = ("max entries limit per query exceeded, limit > max_entries_limit (" + limit + " > "
                        + MAX_ENTRIES + ")").getBytes(StandardCharsets.UTF_8);
            } else {
                long start = Long.parseLong(q.get("start"));
                long end = Long.parseLong(q.get("end"));
                List<List<String>> values = new ArrayList<>();
                for (int i = count - 1; i >= 0 && values.size() < limit; i--) {
                    long ns = firstNs + i / 2;
                    if (ns >= start && ns < end) {
                        values.add(List.of(Long.toString(ns), LokiFormat.envelope("line " + i,
                                Map.of("trace_id", traceId, "severity_number", "9"))));
                    }
                }
                status = 200;
                body = JSON.writeValueAsBytes(Map.of("status", "success", "data", Map.of("resultType", "streams",
                        "result", values.isEmpty() ? List.of() : List.of(Map.of("stream",
                                Map.of("service_name", "bot", "severity", "info"), "values", values)))));
            }
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
