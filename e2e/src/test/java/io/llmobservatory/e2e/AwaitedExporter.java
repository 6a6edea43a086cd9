package io.llmobservatory.e2e;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Forwards to an SDK exporter and adds every export's result to {@code results}, so a test can wait for all of them:
 * a BatchSpanProcessor's forceFlush may return while an export it did not start for the flush is still retrying.
 * {@code onDone} sees each export's spans and whether the server acknowledged them.
 */
final class AwaitedExporter implements SpanExporter {
    private final SpanExporter delegate;
    private final List<CompletableResultCode> results;
    private final BiConsumer<Collection<SpanData>, Boolean> onDone;

    AwaitedExporter(SpanExporter delegate, List<CompletableResultCode> results) {
        this(delegate, results, (spans, acknowledged) -> { });
    }

    AwaitedExporter(SpanExporter delegate, List<CompletableResultCode> results,
                    BiConsumer<Collection<SpanData>, Boolean> onDone) {
        this.delegate = delegate;
        this.results = results;
        this.onDone = onDone;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        CompletableResultCode result = delegate.export(spans);
        results.add(result);
        result.whenComplete(() -> onDone.accept(spans, result.isSuccess()));
        return result;
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }
}
