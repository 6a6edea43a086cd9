package io.llmobservatory.enrich.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the rollup drainer's statements for benchmarks/drain-cost, which times them in PostgreSQL without enrich:
 * {@code model.sql} and {@code user.sql} (the two stages as {@link RollupDrainer} runs them) and {@code single.sql}
 * (all eight rollups in one drain every second, as before the user stage: the same upserts in one statement).
 * Each takes the batch as $1 and returns the drained count first.
 */
public final class DrainStatements {
    private DrainStatements() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.writeString(dir.resolve("model.sql"), RollupDrainer.DRAIN);
        Files.writeString(dir.resolve("user.sql"), RollupDrainer.DRAIN_USERS);
        Files.writeString(dir.resolve("single.sql"), RollupDrainer.drain("llm_call_rollup_queue",
                TraceRepository.ROLLUP_INPUT, RollupSql.models("drained") + ", " + RollupSql.users("drained")));
    }
}
