package io.llmobservatory.ingest.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.llmobservatory.ingest.config.IngestConfig;
import io.llmobservatory.shared.auth.ApiKeys;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Carries the caller's credentials of an OTLP/gRPC call into the call's context: the tenant metadata entry and the
 * API key ({@code authorization: Bearer …} or {@code x-api-key}).
 */
@ApplicationScoped
@GlobalInterceptor
public class TenantInterceptor implements ServerInterceptor {
    static final Context.Key<String> TENANT_HEADER = Context.key("observatory-tenant-header");
    static final Context.Key<String> API_KEY = Context.key("observatory-api-key");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> X_API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    private final Metadata.Key<String> key;

    public TenantInterceptor(IngestConfig config) {
        this.key = Metadata.Key.of(config.tenant().header(), Metadata.ASCII_STRING_MARSHALLER);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        Context context = Context.current().withValue(TENANT_HEADER, headers.get(key))
                .withValue(API_KEY, ApiKeys.fromHeaders(headers.get(AUTHORIZATION), headers.get(X_API_KEY)));
        return Contexts.interceptCall(context, call, headers, next);
    }
}
