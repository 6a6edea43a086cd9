package io.llmobservatory.shared.auth;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every gRPC client of every service presents the operator key ({@code authorization: Bearer …}) on its internal
 * calls when one is configured (see {@link InternalCalls}).
 */
@ApplicationScoped
@GlobalInterceptor
public class InternalCallCredentials implements ClientInterceptor {
    private final String header;

    public InternalCallCredentials(AuthConfig config) {
        this.header = config.operatorKey().filter(k -> !k.isBlank()).map(k -> "Bearer " + k.trim()).orElse(null);
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                if (header != null) {
                    headers.put(InternalCalls.AUTHORIZATION, header);
                }
                super.start(listener, headers);
            }
        };
    }
}
