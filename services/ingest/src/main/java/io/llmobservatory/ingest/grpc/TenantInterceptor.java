package io.llmobservatory.ingest.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.llmobservatory.ingest.config.IngestConfig;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/** Carries the tenant metadata entry of an OTLP/gRPC call into the call's context. */
@ApplicationScoped
@GlobalInterceptor
public class TenantInterceptor implements ServerInterceptor {
    static final Context.Key<String> TENANT_HEADER = Context.key("observatory-tenant-header");

    private final Metadata.Key<String> key;

    public TenantInterceptor(IngestConfig config) {
        this.key = Metadata.Key.of(config.tenant().header(), Metadata.ASCII_STRING_MARSHALLER);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        Context context = Context.current().withValue(TENANT_HEADER, headers.get(key));
        return Contexts.interceptCall(context, call, headers, next);
    }
}
