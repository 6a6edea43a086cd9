package io.llmobservatory.enrich.auth;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.llmobservatory.shared.auth.AuthConfig;
import io.llmobservatory.shared.auth.InternalCalls;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/** The pipeline's gRPC API is internal (ingest only): see {@link InternalCalls}. */
@ApplicationScoped
@GlobalInterceptor
public class InternalCallCheck implements ServerInterceptor {
    private final byte[] required;

    public InternalCallCheck(AuthConfig config) {
        this.required = InternalCalls.requiredKey(config);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        return InternalCalls.check(required, call, headers, next);
    }
}
