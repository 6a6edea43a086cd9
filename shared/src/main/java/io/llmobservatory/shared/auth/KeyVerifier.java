package io.llmobservatory.shared.auth;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
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
 * the answer cached: after {@code cacheTtl} it is checked again in the background (the cached answer serves until
 * the check returns, so a revocation takes effect within {@code cacheTtl} plus one request); unknown or revoked keys
 * are forgotten after {@code deniedCacheTtl}. When the key store is unreachable (PostgreSQL or the query service
 * down), a key verified before keeps working for up to {@code staleTtl} — an outage of the key store must not
 * refuse telemetry the pipeline could store — while a key never seen fails with
 * {@link AuthFailure.Kind#UNAVAILABLE} (retryable).
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
    private final AsyncLoadingCache<CacheKey, Optional<Principal>> cache;

    private record CacheKey(String id, ByteBuffer secretSha256) {
    }

    public KeyVerifier(AuthConfig config, Lookup lookup, String service) {
        this(config, lookup, service, com.github.benmanes.caffeine.cache.Ticker.systemTicker());
    }

    /** With a clock of the test's choosing (the cache's lifetimes are its business). */
    KeyVerifier(AuthConfig config, Lookup lookup, String service, com.github.benmanes.caffeine.cache.Ticker ticker) {
        this.enabled = config.enabled();
        this.operatorHash = config.operatorKey().filter(k -> !k.isBlank()).map(k -> ApiKeys.sha256(k.trim()))
                .orElse(null);
        this.lookup = lookup;
        Duration ttl = config.cacheTtl();
        Duration deniedTtl = config.deniedCacheTtl().compareTo(ttl) < 0 ? config.deniedCacheTtl() : ttl;
        Duration staleTtl = config.staleTtl().compareTo(ttl) > 0 ? config.staleTtl() : ttl;
        this.cache = Caffeine.newBuilder().maximumSize(100_000).ticker(ticker).executor(Runnable::run)
                .refreshAfterWrite(ttl)
                .expireAfter(Expiry.<CacheKey, Optional<Principal>>writing((k, v) -> v.isPresent() ? staleTtl : deniedTtl))
                .buildAsync((k, executor) -> lookup.find(new ApiKeys.Presented(k.id(), k.secretSha256().array()))
                        .subscribeAsCompletionStage());
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
        CacheKey cacheKey = new CacheKey(key.id(), ByteBuffer.wrap(key.secretSha256()));
        return Uni.createFrom().completionStage(() -> cache.get(cacheKey))
                .onFailure().transform(AuthFailure::unavailable)
                .map(found -> found.orElseThrow(AuthFailure::unauthenticated));
    }

    /** Forgets every cached answer (after a revocation in this process). */
    public void invalidateAll() {
        cache.synchronous().invalidateAll();
    }
}
