package io.llmobservatory.shared.auth;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;

/**
 * Turns the key a request presents into a {@link Principal}: the operator key is compared here (constant time); a
 * tenant key is looked up through {@link Lookup} (the key table in the query service, directly or over gRPC) and
 * the answer cached — valid keys for {@code cacheTtl}, unknown or revoked ones for {@code deniedCacheTtl}. A lookup
 * that fails (the key store unreachable) is not cached and surfaces as {@link AuthFailure.Kind#UNAVAILABLE}.
 */
public final class KeyVerifier {
    private static final Logger LOG = Logger.getLogger(KeyVerifier.class);

    /** Finds a presented key: the principal when it exists and is not revoked, empty otherwise. */
    @FunctionalInterface
    public interface Lookup {
        Uni<Optional<Principal>> find(ApiKeys.Presented key);
    }

    private final boolean enabled;
    private final byte[] operatorHash;
    private final Lookup lookup;
    private final AsyncCache<ByteBuffer, Optional<Principal>> cache;

    public KeyVerifier(AuthConfig config, Lookup lookup, String service) {
        this.enabled = config.enabled();
        this.operatorHash = config.operatorKey().filter(k -> !k.isBlank()).map(k -> ApiKeys.sha256(k.trim()))
                .orElse(null);
        this.lookup = lookup;
        Duration ttl = config.cacheTtl();
        Duration deniedTtl = config.deniedCacheTtl();
        this.cache = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfter(Expiry.<ByteBuffer, Optional<Principal>>creating((k, v) -> v.isPresent() ? ttl : deniedTtl))
                .buildAsync();
        if (!enabled) {
            LOG.warn("\n**********************************************************************\n"
                    + "  AUTHENTICATION IS OFF (observatory.auth.enabled=false) in " + service + ":\n"
                    + "  every request is accepted without an API key, with every scope, for\n"
                    + "  any tenant it names. Use this only for a local quick start.\n"
                    + "**********************************************************************");
        } else if (operatorHash == null) {
            LOG.infof("%s: API keys required; no operator key configured (observatory.auth.operator-key)", service);
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /** The caller presenting {@code token} (null when none was presented); fails with an {@link AuthFailure}. */
    public Uni<Principal> verify(String token) {
        if (!enabled) {
            return Uni.createFrom().item(Principal.ANONYMOUS);
        }
        if (token == null || token.isBlank()) {
            return Uni.createFrom().failure(AuthFailure.unauthenticated());
        }
        if (operatorHash != null && ApiKeys.sameHash(operatorHash, ApiKeys.sha256(token.trim()))) {
            return Uni.createFrom().item(Principal.OPERATOR);
        }
        Optional<ApiKeys.Presented> presented = ApiKeys.parse(token);
        if (presented.isEmpty()) {
            return Uni.createFrom().failure(AuthFailure.unauthenticated());
        }
        ApiKeys.Presented key = presented.get();
        ByteBuffer cacheKey = ByteBuffer.wrap(ApiKeys.sha256(key.id() + ":" + java.util.HexFormat.of()
                .formatHex(key.secretSha256())));
        return Uni.createFrom().completionStage(() -> cache.get(cacheKey, (k, executor) ->
                        lookup.find(key).subscribeAsCompletionStage()))
                .onFailure().transform(AuthFailure::unavailable)
                .map(found -> found.orElseThrow(AuthFailure::unauthenticated));
    }

    /** Forgets every cached answer (after a revocation in this process). */
    public void invalidateAll() {
        cache.synchronous().invalidateAll();
    }
}
