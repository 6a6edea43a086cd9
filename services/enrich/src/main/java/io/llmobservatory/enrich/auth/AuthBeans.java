package io.llmobservatory.enrich.auth;

import io.llmobservatory.shared.auth.AuthConfig;
import io.llmobservatory.shared.auth.KeyVerifier;
import io.llmobservatory.shared.auth.RemoteKeys;
import io.llmobservatory.shared.auth.v1.MutinyKeysGrpc;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The admin API's keys are verified by the query service (which owns them), each answer cached briefly. */
public class AuthBeans {

    @Produces
    @io.quarkus.runtime.Startup
    @ApplicationScoped
    KeyVerifier keyVerifier(AuthConfig config, @GrpcClient("keys") MutinyKeysGrpc.MutinyKeysStub keys) {
        return new KeyVerifier(config, RemoteKeys.lookup(keys), "enrich");
    }
}
