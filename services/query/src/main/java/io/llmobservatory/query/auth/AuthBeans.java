package io.llmobservatory.query.auth;

import io.llmobservatory.query.repository.ApiKeyRepository;
import io.llmobservatory.shared.auth.ApiKeys;
import io.llmobservatory.shared.auth.AuthConfig;
import io.llmobservatory.shared.auth.KeyVerifier;
import io.llmobservatory.shared.auth.Principal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.util.Optional;

/** The query service owns the key table, so it verifies keys against it directly (and for the other services). */
public class AuthBeans {

    @Produces
    @io.quarkus.runtime.Startup
    @ApplicationScoped
    KeyVerifier keyVerifier(AuthConfig config, ApiKeyRepository keys) {
        return new KeyVerifier(config, presented -> find(keys, presented), "query");
    }

    /** The principal of a presented key when its id exists, its secret matches and it is not revoked. */
    static io.smallrye.mutiny.Uni<Optional<Principal>> find(ApiKeyRepository keys, ApiKeys.Presented presented) {
        return keys.byId(presented.id()).map(found -> found
                .filter(k -> k.revokedAt() == null && ApiKeys.sameHash(k.secretSha256(), presented.secretSha256()))
                .map(k -> Principal.tenantKey(k.id(), k.tenant(), k.scopes())));
    }
}
