package io.llmobservatory.shared.auth;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;

/**
 * The services' internal gRPC calls (ingest → enrich, everyone → query's key verifier, alerting → query's
 * LlmStats) carry the operator key when one is configured ({@link InternalCallCredentials}), and the internal
 * servers then refuse calls without it (UNAUTHENTICATED). Without an operator key the internal ports rely on the
 * network (the Kubernetes Services are cluster-internal); with auth off nothing is checked.
 */
public final class InternalCalls {
    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private InternalCalls() {
    }

    /** The operator key's hash when internal calls must present it, else null. */
    public static byte[] requiredKey(AuthConfig config) {
        return config.enabled()
                ? config.operatorKey().filter(k -> !k.isBlank()).map(k -> ApiKeys.sha256(k.trim())).orElse(null)
                : null;
    }

    /** Starts the call when it presents {@code required} (or nothing is required), else closes it UNAUTHENTICATED. */
    public static <Q, R> ServerCall.Listener<Q> check(byte[] required, ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        if (required != null) {
            String token = ApiKeys.fromHeaders(headers.get(AUTHORIZATION), null);
            if (token == null || !ApiKeys.sameHash(required, ApiKeys.sha256(token))) {
                call.close(Status.UNAUTHENTICATED.withDescription("internal call without the operator key"),
                        new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
        }
        return next.startCall(call, headers);
    }
}
