package io.llmobservatory.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stand-ins for Tempo 2.0.1 and Loki 2.8.0 where the real ones are not available (CI): they record what enrich sends
 * them, optionally answering nothing until {@code stall} is opened (to test stalls), and answer the read paths the
 * query service uses the way the real servers answered them (the recordings under {@code recordings/};
 * {@code StandInFidelityIT} holds the stand-ins to those recordings, {@code RealStoresIT} the real servers).
 */
final class FakeStores {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "text/plain; charset=utf-8";

    private FakeStores() {
    }

    static final class Tempo implements AutoCloseable {
        final CountDownLatch stall = new CountDownLatch(1);
        final Set<String> spanIds = ConcurrentHashMap.newKeySet();
        final Set<String> tenants = ConcurrentHashMap.newKeySet();
        private final Map<String, Set<String>> byTenant = new ConcurrentHashMap<>();
        private final Map<String, List<ExportTraceServiceRequest>> stored = new ConcurrentHashMap<>();
        /** Every request's bytes, as text (the strings in it are UTF-8). */
        final List<String> requests = new CopyOnWriteArrayList<>();
        private final Server server;
        private final HttpServer http;

        Tempo(boolean stalled) throws Exception {
            if (!stalled) {
                stall.countDown();
            }
            Metadata.Key<String> tenantKey = Metadata.Key.of("X-Scope-OrgID", Metadata.ASCII_STRING_MARSHALLER);
            Context.Key<String> tenant = Context.key("tenant");
            TraceServiceGrpc.TraceServiceImplBase service = new TraceServiceGrpc.TraceServiceImplBase() {
                @Override
                public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> out) {
                    try {
                        stall.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    String t = String.valueOf(tenant.get());
                    tenants.add(t);
                    requests.add(new String(request.toByteArray(), StandardCharsets.UTF_8));
                    stored.computeIfAbsent(t, x -> new CopyOnWriteArrayList<>()).add(request);
                    Set<String> ofTenant = byTenant.computeIfAbsent(t, x -> ConcurrentHashMap.newKeySet());
                    request.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss ->
                            ss.getSpansList().forEach(s -> {
                                String id = HexFormat.of().formatHex(s.getSpanId().toByteArray());
                                spanIds.add(id);
                                ofTenant.add(id);
                            })));
                    out.onNext(ExportTraceServiceResponse.getDefaultInstance());
                    out.onCompleted();
                }
            };
            ServerInterceptor tenantHeader = new ServerInterceptor() {
                @Override
                public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                                   ServerCallHandler<Q, R> next) {
                    return Contexts.interceptCall(Context.current().withValue(tenant, headers.get(tenantKey)), call,
                            headers, next);
                }
            };
            server = ServerBuilder.forPort(0).addService(ServerInterceptors.intercept(service, tenantHeader)).build().start();
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.setExecutor(Executors.newCachedThreadPool());
            http.createContext("/", this::read);
            http.start();
        }

        int port() {
            return server.getPort();
        }

        /** Tempo's HTTP API (trace by id, search, echo). */
        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort();
        }

        /** Distinct spans received for {@code tenant} (its X-Scope-OrgID). */
        int spanIdsOf(String tenant) {
            return byTenant.getOrDefault(tenant, Set.of()).size();
        }

        private void read(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            String tenant = exchange.getRequestHeaders().getFirst("X-Scope-OrgID");
            if (path.equals("/api/echo")) {
                send(exchange, 200, TEXT, "echo\n");
            } else if (tenant == null) {
                send(exchange, 401, TEXT, "no org id\n");
            } else if (path.startsWith("/api/traces/")) {
                String trace = trace(tenant, path.substring("/api/traces/".length()));
                if (trace == null) {
                    send(exchange, 404, TEXT, "trace not found");
                } else {
                    send(exchange, 200, "application/json", trace);
                }
            } else if (path.equals("/api/search")) {
                Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
                Matcher m = Pattern.compile("\\{\\s*span\\.([\\w.]+)\\s*=\\s*\"([^\"]*)\"\\s*}").matcher(q.getOrDefault("q", ""));
                if (!m.matches()) {
                    send(exchange, 400, TEXT, "invalid TraceQL query: the stand-in reads only { span.<key> = \"<value>\" }\n");
                } else {
                    send(exchange, 200, "application/json", search(tenant, m.group(1), m.group(2),
                            Integer.parseInt(q.getOrDefault("limit", "20"))));
                }
            } else {
                send(exchange, 404, TEXT, "404 page not found\n");
            }
        }

        /** Tempo 2.0's v1 trace JSON: the resource spans holding the trace's spans as "batches"; null when absent. */
        String trace(String tenant, String hex) throws IOException {
            byte[] id = HexFormat.of().parseHex(hex.toLowerCase());
            TracesData.Builder data = TracesData.newBuilder();
            for (ExportTraceServiceRequest request : stored.getOrDefault(tenant, List.of())) {
                for (ResourceSpans rs : request.getResourceSpansList()) {
                    ResourceSpans.Builder kept = rs.toBuilder().clearScopeSpans();
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        List<Span> spans = ss.getSpansList().stream()
                                .filter(s -> java.util.Arrays.equals(s.getTraceId().toByteArray(), id)).toList();
                        if (!spans.isEmpty()) {
                            kept.addScopeSpans(ss.toBuilder().clearSpans().addAllSpans(spans));
                        }
                    }
                    if (kept.getScopeSpansCount() > 0) {
                        data.addResourceSpans(kept);
                    }
                }
            }
            if (data.getResourceSpansCount() == 0) {
                return null;
            }
            String json = JsonFormat.printer().omittingInsignificantWhitespace().print(data);
            return "{\"batches\":" + json.substring("{\"resourceSpans\":".length());
        }

        /** Tempo 2.0's search answer for {@code { span.<key> = "<value>" }}: traces with a matching span. */
        String search(String tenant, String key, String value, int limit) {
            Map<String, List<Span>> traces = new LinkedHashMap<>();
            Map<String, String> services = new LinkedHashMap<>();
            for (ExportTraceServiceRequest request : stored.getOrDefault(tenant, List.of())) {
                for (ResourceSpans rs : request.getResourceSpansList()) {
                    String service = rs.getResource().getAttributesList().stream()
                            .filter(a -> a.getKey().equals("service.name")).map(a -> a.getValue().getStringValue())
                            .findFirst().orElse("");
                    rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s -> {
                        String trace = HexFormat.of().formatHex(s.getTraceId().toByteArray());
                        traces.computeIfAbsent(trace, x -> new ArrayList<>()).add(s);
                        if (s.getParentSpanId().isEmpty()) {
                            services.put(trace, service);
                        }
                    }));
                }
            }
            ArrayNode hits = JSON.createArrayNode();
            traces.forEach((trace, spans) -> {
                List<Span> matched = spans.stream().filter(s -> s.getAttributesList().stream().anyMatch(a ->
                        a.getKey().equals(key) && a.getValue().getStringValue().equals(value))).toList();
                if (matched.isEmpty() || hits.size() >= limit) {
                    return;
                }
                Span root = spans.stream().filter(s -> s.getParentSpanId().isEmpty()).findFirst().orElse(spans.get(0));
                long start = spans.stream().mapToLong(Span::getStartTimeUnixNano).min().orElse(0);
                long end = spans.stream().mapToLong(Span::getEndTimeUnixNano).max().orElse(0);
                ObjectNode hit = hits.addObject();
                hit.put("traceID", trace.replaceFirst("^0+", ""));
                hit.put("rootServiceName", services.getOrDefault(trace, ""));
                hit.put("rootTraceName", root.getName());
                hit.put("startTimeUnixNano", Long.toString(start));
                hit.put("durationMs", (end - start) / 1_000_000);
                ObjectNode spanSet = hit.putObject("spanSet");
                ArrayNode list = spanSet.putArray("spans");
                for (Span s : matched) {
                    ObjectNode span = list.addObject();
                    span.put("spanID", HexFormat.of().formatHex(s.getSpanId().toByteArray()));
                    span.put("startTimeUnixNano", Long.toString(s.getStartTimeUnixNano()));
                    span.put("durationNanos", Long.toString(s.getEndTimeUnixNano() - s.getStartTimeUnixNano()));
                    ArrayNode attributes = span.putArray("attributes");
                    for (KeyValue a : s.getAttributesList()) {
                        if (a.getKey().equals(key)) {
                            attributes.addObject().put("key", key).putObject("value").put("stringValue", value);
                        }
                    }
                }
                spanSet.put("matched", matched.size());
            });
            ObjectNode answer = JSON.createObjectNode();
            if (!hits.isEmpty()) {
                answer.set("traces", hits); // Tempo leaves the key out when nothing matched
            }
            answer.putObject("metrics");
            return answer.toString();
        }

        @Override
        public void close() throws InterruptedException {
            stall.countDown();
            http.stop(0);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    static final class Loki implements AutoCloseable {
        static final int MAX_ENTRIES = 5000;
        final CountDownLatch stall = new CountDownLatch(1);
        /** Every push body (JSON). */
        final List<String> pushes = new CopyOnWriteArrayList<>();
        private final Map<String, java.util.concurrent.atomic.AtomicInteger> byTenant = new ConcurrentHashMap<>();
        /** Per tenant, per label set (sorted), the entries [ns, line]. */
        private final Map<String, Map<Map<String, String>, List<String[]>>> stored = new ConcurrentHashMap<>();
        private final HttpServer server;

        Loki(boolean stalled) throws Exception {
            if (!stalled) {
                stall.countDown();
            }
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/loki/api/v1/push", exchange -> {
                try {
                    stall.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String tenant = exchange.getRequestHeaders().getFirst("X-Scope-OrgID");
                pushes.add(body);
                byTenant.computeIfAbsent(String.valueOf(tenant), x -> new java.util.concurrent.atomic.AtomicInteger())
                        .incrementAndGet();
                if (tenant == null) {
                    send(exchange, 401, TEXT, "no org id\n");
                    return;
                }
                String refusal = push(tenant, JSON.readTree(body));
                if (refusal != null) {
                    send(exchange, 400, TEXT, refusal);
                } else {
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                }
            });
            server.createContext("/loki/api/v1/status/buildinfo", exchange -> {
                Recordings.Answer recorded = Recordings.answer("loki-2.8.0/buildinfo.http");
                send(exchange, recorded.status(), recorded.contentType(), recorded.text());
            });
            server.createContext("/loki/api/v1/query_range", exchange -> {
                String tenant = exchange.getRequestHeaders().getFirst("X-Scope-OrgID");
                if (tenant == null) {
                    send(exchange, 401, TEXT, "no org id\n");
                    return;
                }
                Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
                int limit = Integer.parseInt(q.getOrDefault("limit", "100"));
                if (limit > MAX_ENTRIES) {
                    // Loki's own (text under a JSON content type, as recorded).
                    send(exchange, 400, "application/json; charset=UTF-8", "max entries limit per query exceeded, limit > max_entries_limit ("
                            + limit + " > " + MAX_ENTRIES + ")");
                    return;
                }
                send(exchange, 200, "application/json", queryRange(tenant, q.getOrDefault("query", ""),
                        Long.parseLong(q.getOrDefault("start", "0")), Long.parseLong(q.getOrDefault("end",
                                Long.toString(Long.MAX_VALUE))), limit));
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        String url() {
            return "http://127.0.0.1:" + port();
        }

        int pushesOf(String tenant) {
            var n = byTenant.get(tenant);
            return n == null ? 0 : n.get();
        }

        /** Stores a push as Loki 2.8 does, or its refusal: 2.8 has no structured metadata. */
        private String push(String tenant, JsonNode body) {
            for (JsonNode stream : body.path("streams")) {
                for (JsonNode value : stream.path("values")) {
                    if (value.size() > 2) {
                        return Recordings.answer("loki-2.8.0/push-structured-metadata.http").text();
                    }
                }
            }
            for (JsonNode stream : body.path("streams")) {
                Map<String, String> labels = new TreeMap<>();
                stream.path("stream").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
                List<String[]> entries = stored.computeIfAbsent(tenant, x -> new ConcurrentHashMap<>())
                        .computeIfAbsent(labels, x -> new CopyOnWriteArrayList<>());
                stream.path("values").forEach(v -> entries.add(new String[]{v.get(0).asText(), v.get(1).asText()}));
            }
            return null;
        }

        /**
         * Loki's streams answer for a selector of {@code =} and {@code =~".+"} matchers and {@code |=} line filters,
         * backwards from {@code end} (exclusive), at most {@code limit} entries.
         */
        private String queryRange(String tenant, String logql, long start, long end, int limit) {
            Map<String, String> equal = new LinkedHashMap<>();
            Matcher matcher = Pattern.compile("(\\w+)\\s*=\\s*\"([^\"]*)\"").matcher(logql.substring(0, logql.indexOf('}') + 1));
            while (matcher.find()) {
                equal.put(matcher.group(1), matcher.group(2));
            }
            List<String> contains = new ArrayList<>();
            Matcher filter = Pattern.compile("\\|=\\s*\"([^\"]*)\"").matcher(logql);
            while (filter.find()) {
                contains.add(filter.group(1));
            }
            List<Object[]> hits = new ArrayList<>();
            stored.getOrDefault(tenant, Map.of()).forEach((labels, entries) -> {
                if (equal.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
                    for (String[] entry : entries) {
                        long ns = Long.parseLong(entry[0]);
                        if (ns >= start && ns < end && contains.stream().allMatch(entry[1]::contains)) {
                            hits.add(new Object[]{labels, entry});
                        }
                    }
                }
            });
            hits.sort(Comparator.comparingLong((Object[] h) -> Long.parseLong(((String[]) h[1])[0])).reversed());
            Map<Map<String, String>, ArrayNode> streams = new LinkedHashMap<>();
            for (Object[] hit : hits.subList(0, Math.min(limit, hits.size()))) {
                @SuppressWarnings("unchecked")
                Map<String, String> labels = (Map<String, String>) hit[0];
                String[] entry = (String[]) hit[1];
                streams.computeIfAbsent(labels, x -> JSON.createArrayNode()).addArray().add(entry[0]).add(entry[1]);
            }
            ObjectNode answer = JSON.createObjectNode();
            answer.put("status", "success");
            ObjectNode data = answer.putObject("data");
            data.put("resultType", "streams");
            ArrayNode result = data.putArray("result");
            streams.forEach((labels, values) -> {
                ObjectNode stream = result.addObject();
                ObjectNode labelNode = stream.putObject("stream");
                labels.forEach(labelNode::put);
                stream.set("values", values);
            });
            // Loki's statistics: the recorded ones (timings and counts of another query; the shape is what matters).
            data.set("stats", Recordings.answer("loki-2.8.0/query-range.http").json().path("data").path("stats"));
            return answer.toString();
        }

        @Override
        public void close() {
            stall.countDown();
            server.stop(0);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            for (String p : raw.split("&")) {
                String[] kv = p.split("=", 2);
                out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return out;
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
