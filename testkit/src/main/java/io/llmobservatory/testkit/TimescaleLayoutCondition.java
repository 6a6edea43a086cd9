package io.llmobservatory.testkit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Skips every test, loudly, when the TimescaleDB layout is asked for ({@code OBSERVATORY_PG_LAYOUT=timescaledb}) on a
 * machine without the extension: {@code mvn verify} runs the storage and end-to-end tests a second time on TimescaleDB,
 * and a fresh machine without it must still pass. Registered through JUnit's extension auto-detection, which the
 * TimescaleDB test executions turn on.
 */
public final class TimescaleLayoutCondition implements ExecutionCondition {
    private static final AtomicBoolean SAID = new AtomicBoolean();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!PostgresCluster.timescaleRequested() || PostgresCluster.timescaleInstalled()) {
            return ConditionEvaluationResult.enabled("storage layout available");
        }
        String why = "SKIPPED: OBSERVATORY_PG_LAYOUT=timescaledb but TimescaleDB is not installed for the PostgreSQL "
                + "binaries in " + PostgresCluster.findBinDir() + " (install it, e.g. ../shared/timescaledb/install; "
                + ".ci/run does)";
        if (SAID.compareAndSet(false, true)) {
            System.err.println("\n*** " + why + " ***\n");
        }
        return ConditionEvaluationResult.disabled(why);
    }
}
