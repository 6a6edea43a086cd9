package io.llmobservatory.shared.grpc;

import io.grpc.Context;
import io.smallrye.mutiny.Uni;

import java.util.function.Supplier;

/**
 * Runs an outgoing gRPC call outside the io.grpc {@link Context} of the request being served. grpc-java makes a
 * client call inherit the current context and cancels it when that context is cancelled — and a server call's
 * context is cancelled as soon as that call completes. A call made for one request but shared by others (a cached
 * key lookup several requests wait on), or continued on another request's callback thread, would be cancelled when
 * an unrelated request finishes ("CANCELLED: io.grpc.Context was cancelled without error"). Calls to enrich and the
 * key verifier are made from the root context instead; they carry their own deadlines.
 */
public final class Detached {
    private Detached() {
    }

    public static <T> Uni<T> call(Supplier<Uni<? extends T>> call) {
        return Uni.createFrom().emitter(emitter -> Context.ROOT.run(() ->
                call.get().subscribe().with(emitter::complete, emitter::fail)));
    }
}
