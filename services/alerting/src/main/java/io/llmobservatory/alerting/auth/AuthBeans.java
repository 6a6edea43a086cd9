package io.llmobservatory.alerting.auth;

import io.llmobservatory.shared.auth.AuthConfig;
import io.llmobservatory.shared.auth.KeyVerifier;
import io.llmobservatory.shared.auth.RemoteKeys;
import io.llmobservatory.shared.auth.v1.MutinyKeysGrpc;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Keys are verified by the query service (the same channel the LLM rules read through), cached briefly. */
public class AuthBeans {

    @Produces
    @io.quarkus.runtime.Startup
    @ApplicationScoped
    KeyVerifier keyVerifier(AuthConfig config, @GrpcClient("query") MutinyKeysGrpc.MutinyKeysStub keys) {
        return new KeyVerifier(config, RemoteKeys.lookup(keys), "alerting");
    }
}
