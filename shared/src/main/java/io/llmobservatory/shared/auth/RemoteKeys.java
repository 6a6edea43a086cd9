package io.llmobservatory.shared.auth;

import com.google.protobuf.ByteString;
import io.llmobservatory.shared.auth.v1.MutinyKeysGrpc;
import io.llmobservatory.shared.grpc.Detached;
import io.llmobservatory.shared.auth.v1.VerifyRequest;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Key lookup in the query service over gRPC, for the services that hold no key table. */
public final class RemoteKeys {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private RemoteKeys() {
    }

    public static KeyVerifier.Lookup lookup(MutinyKeysGrpc.MutinyKeysStub stub) {
        // Detached: one lookup is shared by every request waiting on the cache entry.
        return presented -> Detached.<io.llmobservatory.shared.auth.v1.VerifyResponse>call(() -> stub
                        .withDeadlineAfter(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                        .verify(VerifyRequest.newBuilder().setKeyId(presented.id())
                                .setSecretSha256(ByteString.copyFrom(presented.secretSha256())).build()))
                .map(r -> {
                    if (!r.getValid()) {
                        return Optional.<Principal>empty();
                    }
                    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
                    r.getScopesList().forEach(s -> scopes.add(Scope.parse(s)));
                    return Optional.of(Principal.tenantKey(presented.id(), r.getTenant(), scopes));
                });
    }
}
