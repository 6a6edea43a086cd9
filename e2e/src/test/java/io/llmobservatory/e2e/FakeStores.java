package io.llmobservatory.e2e;

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

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Stand-ins for Tempo's OTLP/gRPC receiver and Loki's push API that record what enrich sends them, optionally
 * answering nothing until {@code stall} is opened (to test stalls). Not available as binaries here.
 */
final class FakeStores {
    private FakeStores() {
    }

    static final class Tempo implements AutoCloseable {
        final CountDownLatch stall = new CountDownLatch(1);
        final Set<String> spanIds = ConcurrentHashMap.newKeySet();
        final Set<String> tenants = ConcurrentHashMap.newKeySet();
        private final java.util.Map<String, Set<String>> byTenant = new ConcurrentHashMap<>();
        /** Every request's bytes, as text (the strings in it are UTF-8). */
        final List<String> requests = new CopyOnWriteArrayList<>();
        private final Server server;

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
        }

        int port() {
            return server.getPort();
        }

        /** Distinct spans received for {@code tenant} (its X-Scope-OrgID). */
        int spanIdsOf(String tenant) {
            return byTenant.getOrDefault(tenant, Set.of()).size();
        }

        @Override
        public void close() throws InterruptedException {
            stall.countDown();
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    static final class Loki implements AutoCloseable {
        final CountDownLatch stall = new CountDownLatch(1);
        /** Every push body (JSON). */
        final List<String> pushes = new CopyOnWriteArrayList<>();
        private final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> byTenant = new ConcurrentHashMap<>();
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
                pushes.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                byTenant.computeIfAbsent(String.valueOf(exchange.getRequestHeaders().getFirst("X-Scope-OrgID")),
                        x -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        int pushesOf(String tenant) {
            var n = byTenant.get(tenant);
            return n == null ? 0 : n.get();
        }

        @Override
        public void close() {
            stall.countDown();
            server.stop(0);
        }
    }
}
