package io.llmobservatory.enrich.storage;

import io.llmobservatory.shared.otlp.OtlpIds;
import io.vertx.core.buffer.Buffer;

/** Trace and span ids (hex in the model) as the bytea the tables keep, sent as bytes rather than decoded by SQL. */
final class Ids {
    private Ids() {
    }

    static Buffer bytes(String hex) {
        return Buffer.buffer(OtlpIds.fromHex(hex));
    }
}
