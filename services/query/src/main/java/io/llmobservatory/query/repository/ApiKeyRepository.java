package io.llmobservatory.query.repository;

import io.llmobservatory.shared.auth.Scope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@code api_keys} table: only secret hashes, never the keys. Every read names its tenant unless it is by id. */
@ApplicationScoped
public class ApiKeyRepository {
    private final Pool pool;

    /** A stored key (without its hash unless it was read for verification). */
    public record StoredKey(String id, String tenant, String name, Set<Scope> scopes, Instant createdAt,
                            String createdBy, Instant revokedAt, byte[] secretSha256) {
    }

    public ApiKeyRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(String id, String tenant, String name, Set<Scope> scopes, byte[] secretSha256,
                            String createdBy) {
        return pool.preparedQuery("""
                        INSERT INTO api_keys (id, tenant, name, scopes, secret_sha256, created_by)
                        VALUES ($1, $2, $3, $4, $5, $6)""")
                .execute(Tuple.of(id, tenant, name, scopes.stream().map(Scope::wire).toArray(String[]::new),
                        Buffer.buffer(secretSha256), createdBy))
                .replaceWithVoid();
    }

    /** The key with this id, revoked or not (for verification, with its hash). */
    public Uni<Optional<StoredKey>> byId(String id) {
        return pool.preparedQuery("SELECT * FROM api_keys WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(key(rows.iterator().next(), true)));
    }

    /** The tenant's keys (every tenant's when {@code tenant} is null: the operator's view), newest first. */
    public Uni<List<StoredKey>> list(String tenant, boolean includeRevoked) {
        return pool.preparedQuery("""
                        SELECT * FROM api_keys
                        WHERE ($1::text IS NULL OR tenant = $1) AND ($2 OR revoked_at IS NULL)
                        ORDER BY created_at DESC, id LIMIT 1000""")
                .execute(Tuple.of(tenant, includeRevoked))
                .map(rows -> {
                    List<StoredKey> keys = new ArrayList<>();
                    rows.forEach(r -> keys.add(key(r, false)));
                    return keys;
                });
    }

    /**
     * Revokes the key if it belongs to {@code tenant} (any tenant when null); the key as it is now, empty when there is
     * no such key for that tenant. Revoking twice keeps the first revocation time.
     */
    public Uni<Optional<StoredKey>> revoke(String id, String tenant) {
        return pool.preparedQuery("""
                        UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
                        WHERE id = $1 AND ($2::text IS NULL OR tenant = $2)
                        RETURNING *""")
                .execute(Tuple.of(id, tenant))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(key(rows.iterator().next(), false)));
    }

    private static StoredKey key(Row r, boolean withHash) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        Arrays.stream(r.getArrayOfStrings("scopes")).map(Scope::parse).forEach(scopes::add);
        return new StoredKey(r.getString("id"), r.getString("tenant"), r.getString("name"), scopes,
                r.getOffsetDateTime("created_at").toInstant(), r.getString("created_by"),
                r.getOffsetDateTime("revoked_at") == null ? null : r.getOffsetDateTime("revoked_at").toInstant(),
                withHash ? r.getBuffer("secret_sha256").getBytes() : null);
    }

}
