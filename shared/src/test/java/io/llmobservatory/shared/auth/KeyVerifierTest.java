package io.llmobservatory.shared.auth;

import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Key verification and its cache, on a clock of the test's own: the lookup (the key table one layer down) is a map
 * that can be made unreachable.
 */
class KeyVerifierTest {
    private static final String OPERATOR = "operator-secret-0123456789abcdef";
    private final AtomicLong nanos = new AtomicLong();
    private final Map<String, Principal> table = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private volatile boolean storeDown;
    private final KeyVerifier verifier = new KeyVerifier(config(true), presented -> {
        lookups.incrementAndGet();
        if (storeDown) {
            return Uni.createFrom().failure(new IllegalStateException("connection refused"));
        }
        return Uni.createFrom().item(Optional.ofNullable(table.get(presented.id() + java.util.HexFormat.of()
                .formatHex(presented.secretSha256()))));
    }, "test", nanos::get);

    private String newKey(String tenant, Scope... scopes) {
        ApiKeys.NewKey key = ApiKeys.generate();
        table.put(key.id() + java.util.HexFormat.of().formatHex(key.secretSha256()),
                Principal.tenantKey(key.id(), tenant, EnumSet.of(scopes[0], scopes)));
        return key.token();
    }

    private void revoke(String token) {
        ApiKeys.Presented p = ApiKeys.parse(token).orElseThrow();
        table.remove(p.id() + java.util.HexFormat.of().formatHex(p.secretSha256()));
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    private Principal verify(String token) {
        return verifier.verify(token).await().atMost(Duration.ofSeconds(5));
    }

    private AuthFailure.Kind failure(String token) {
        return catchThrowableOfType(AuthFailure.class, () -> verify(token)).kind();
    }

    @Test
    void aValidKeyIsItsTenantWithItsScopesAndIsLookedUpOncePerLifetime() {
        String token = newKey("acme", Scope.INGEST);
        assertThat(verify(token)).satisfies(p -> {
            assertThat(p.tenant()).isEqualTo("acme");
            assertThat(p.scopes()).containsExactly(Scope.INGEST);
        });
        verify(token);
        verify(token);
        assertThat(lookups).hasValue(1);
    }

    @Test
    void aRevokedKeyIsRefusedOnceTheCachedAnswerIsRefreshed() {
        String token = newKey("acme", Scope.INGEST);
        verify(token);
        revoke(token);
        assertThat(verify(token).tenant()).as("within the cache lifetime").isEqualTo("acme");
        advance(Duration.ofSeconds(31));
        // The request after the lifetime triggers the refresh (which may still serve it the old answer); the next
        // one sees the revocation for certain.
        try {
            verify(token);
        } catch (AuthFailure refusedAtOnce) {
            assertThat(refusedAtOnce.kind()).isEqualTo(AuthFailure.Kind.UNAUTHENTICATED);
        }
        assertThat(failure(token)).isEqualTo(AuthFailure.Kind.UNAUTHENTICATED);
    }

    @Test
    void aKnownKeyKeepsWorkingThroughAKeyStoreOutageUpToTheStaleLifetime() {
        String token = newKey("acme", Scope.QUERY);
        verify(token);
        storeDown = true;
        advance(Duration.ofMinutes(5));
        assertThat(verify(token).tenant()).isEqualTo("acme");
        assertThat(verify(token).tenant()).isEqualTo("acme");
        advance(Duration.ofMinutes(11));
        assertThat(failure(token)).as("after the stale lifetime").isEqualTo(AuthFailure.Kind.UNAVAILABLE);
        storeDown = false;
        assertThat(verify(token).tenant()).isEqualTo("acme");
    }

    @Test
    void anUnseenKeyDuringAnOutageIsRetryableNotUnauthenticated() {
        String token = newKey("acme", Scope.INGEST);
        storeDown = true;
        assertThat(failure(token)).isEqualTo(AuthFailure.Kind.UNAVAILABLE);
        storeDown = false;
        assertThat(verify(token).tenant()).as("a failed lookup is not cached").isEqualTo("acme");
    }

    @Test
    void anUnknownKeyIsRememberedBrieflySoANewKeyWorksSoon() {
        ApiKeys.NewKey key = ApiKeys.generate();
        assertThat(failure(key.token())).isEqualTo(AuthFailure.Kind.UNAUTHENTICATED);
        assertThat(failure(key.token())).isEqualTo(AuthFailure.Kind.UNAUTHENTICATED);
        assertThat(lookups).hasValue(1);
        table.put(key.id() + java.util.HexFormat.of().formatHex(key.secretSha256()),
                Principal.tenantKey(key.id(), "acme", EnumSet.of(Scope.INGEST)));
        advance(Duration.ofSeconds(6));
        assertThat(verify(key.token()).tenant()).isEqualTo("acme");
    }

    @ParameterizedTest(name = "''{0}'' is unauthenticated without a lookup")
    @CsvSource(value = {"''", "not-a-key", "obs_0123_short", "Bearer obs_0123456789abcdef_abc",
            "operator-secret-0123456789abcdeF"}, nullValues = "NULL")
    void malformedOrMissingKeysAreUnauthenticated(String token) {
        assertThat(failure(token)).isEqualTo(AuthFailure.Kind.UNAUTHENTICATED);
        assertThat(failure(null)).isEqualTo(AuthFailure.Kind.UNAUTHENTICATED);
        assertThat(lookups).hasValue(0);
    }

    @Test
    void theOperatorKeyIsEveryScopeForAnyTenantAndOffMeansAnonymous() {
        assertThat(verify(OPERATOR)).isEqualTo(Principal.OPERATOR);
        KeyVerifier off = new KeyVerifier(config(false), p -> Uni.createFrom().failure(new AssertionError()), "test");
        assertThat(off.verify(null).await().indefinitely()).isEqualTo(Principal.ANONYMOUS);
    }

    @ParameterizedTest(name = "{0} key, header ''{1}'' -> {2}")
    @CsvSource(value = {
            "tenant, NULL, acme", "tenant, acme, acme", "tenant, other, DENIED", "tenant, bad tenant!, INVALID",
            "operator, NULL, default", "operator, other, other", "anonymous, other, other", "anonymous, NULL, default"},
            nullValues = "NULL")
    void theTenantComesFromTheKeyAndAHeaderMayOnlyNameItForTenantKeys(String kind, String header, String expected) {
        Principal p = switch (kind) {
            case "tenant" -> Principal.tenantKey("k", "acme", EnumSet.of(Scope.QUERY));
            case "operator" -> Principal.OPERATOR;
            default -> Principal.ANONYMOUS;
        };
        switch (expected) {
            case "DENIED" -> assertThat(catchThrowableOfType(AuthFailure.class,
                    () -> p.tenant(header, "X-Scope-OrgID", "default")).kind()).isEqualTo(AuthFailure.Kind.PERMISSION_DENIED);
            case "INVALID" -> assertThat(catchThrowableOfType(IllegalArgumentException.class,
                    () -> p.tenant(header, "X-Scope-OrgID", "default"))).hasMessageStartingWith("X-Scope-OrgID must be");
            default -> assertThat(p.tenant(header, "X-Scope-OrgID", "default")).isEqualTo(expected);
        }
    }

    @Test
    void scopesAreRequiredByName() {
        Principal p = Principal.tenantKey("k", "acme", EnumSet.of(Scope.INGEST));
        assertThat(p.require(Scope.INGEST)).isSameAs(p);
        assertThat(catchThrowableOfType(AuthFailure.class, () -> p.require(Scope.ADMIN)))
                .hasMessage("this API key lacks the 'admin' scope");
    }

    @Test
    void tokensParseBackToTheirIdAndHashAndHeadersAreRead() {
        ApiKeys.NewKey key = ApiKeys.generate();
        assertThat(key.token()).matches("obs_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
        ApiKeys.Presented p = ApiKeys.parse(key.token()).orElseThrow();
        assertThat(p.id()).isEqualTo(key.id());
        assertThat(ApiKeys.sameHash(p.secretSha256(), key.secretSha256())).isTrue();
        assertThat(ApiKeys.fromHeaders("bearer  abc ", null)).isEqualTo("abc");
        assertThat(ApiKeys.fromHeaders(null, " xyz")).isEqualTo("xyz");
        assertThat(ApiKeys.fromHeaders("Basic abc", null)).isNull();
    }

    private static AuthConfig config(boolean enabled) {
        return new AuthConfig() {
            public boolean enabled() {
                return enabled;
            }

            public Optional<String> operatorKey() {
                return Optional.of(OPERATOR);
            }

            public Duration cacheTtl() {
                return Duration.ofSeconds(30);
            }

            public Duration staleTtl() {
                return Duration.ofMinutes(15);
            }

            public Duration deniedCacheTtl() {
                return Duration.ofSeconds(5);
            }

            public String queryHost() {
                return "localhost";
            }

            public int queryPort() {
                return 8080;
            }
        };
    }
}
