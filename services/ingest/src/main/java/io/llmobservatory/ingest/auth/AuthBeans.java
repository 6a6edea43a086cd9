package io.llmobservatory.ingest.auth;

import io.llmobservatory.shared.auth.AuthConfig;
import io.llmobservatory.shared.auth.KeyVerifier;
import io.llmobservatory.shared.auth.RemoteKeys;
import io.llmobservatory.shared.auth.v1.MutinyKeysGrpc;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Created at start (so a disabled auth is logged at once). Ingest verifies API keys with the query service (which owns them), caching each answer briefly. */
public class AuthBeans {

    @Produces
    @io.quarkus.runtime.Startup
    @ApplicationScoped
    KeyVerifier keyVerifier(AuthConfig config, @GrpcClient("keys") MutinyKeysGrpc.MutinyKeysStub keys) {
        return new KeyVerifier(config, RemoteKeys.lookup(keys), "ingest");
    }
}
