package io.llmobservatory.query.auth;

import io.llmobservatory.query.repository.ApiKeyRepository;
import io.llmobservatory.shared.auth.ApiKeys;
import io.llmobservatory.shared.auth.Scope;
import io.llmobservatory.shared.auth.v1.Keys;
import io.llmobservatory.shared.auth.v1.VerifyRequest;
import io.llmobservatory.shared.auth.v1.VerifyResponse;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/** Verifies keys for ingest, enrich and the alerting service (which cache the answer). */
@GrpcService
public class KeysGrpcService implements Keys {
    private final ApiKeyRepository keys;

    public KeysGrpcService(ApiKeyRepository keys) {
        this.keys = keys;
    }

    @Override
    public Uni<VerifyResponse> verify(VerifyRequest request) {
        return AuthBeans.find(keys, new ApiKeys.Presented(request.getKeyId(), request.getSecretSha256().toByteArray()))
                .map(found -> found.map(p -> VerifyResponse.newBuilder().setValid(true).setTenant(p.tenant())
                                .addAllScopes(p.scopes().stream().map(Scope::wire).toList()).build())
                        .orElse(VerifyResponse.newBuilder().setValid(false).build()));
    }
}
