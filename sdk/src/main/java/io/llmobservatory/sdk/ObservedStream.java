package io.llmobservatory.sdk;

import java.lang.ref.Cleaner;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A streamed LLM answer observed as it is consumed: every chunk goes through the {@link Accumulator} (the first fixes
 * the time to first chunk), and the span ends when the stream is exhausted, fails, is closed early, or is dropped
 * unclosed and collected (abandoned).
 */
public final class ObservedStream {
    private static final Cleaner CLEANER = Cleaner.create();

    private ObservedStream() {
    }

    /** Reads the call's facts out of the chunks as they pass. */
    public interface Accumulator<C> {
        /** Called for every chunk, in order. Should count a chunk that carries content via {@code span.chunk()}. */
        void accept(C chunk, LlmSpan span);

        /** What the chunks seen so far say about the call. */
        LlmResponse response();
    }

    /**
     * {@code source} observed; {@code onClose} runs when the returned stream is closed (e.g. to close the
     * underlying HTTP response).
     */
    public static <C> Stream<C> of(LlmSpan span, Stream<C> source, Accumulator<C> accumulator) {
        Observing<C> observing = new Observing<>(span, source.spliterator(), accumulator);
        Stream<C> stream = StreamSupport.stream(observing, false);
        // Ends the span when the stream object is collected without having been exhausted or closed. The action holds
        // the span and accumulator, never the stream.
        Cleaner.Cleanable abandoned = CLEANER.register(stream, new EndAbandoned(span, accumulator));
        return stream.onClose(() -> {
            try {
                source.close();
            } finally {
                abandoned.clean();
            }
        });
    }

    /**
     * Ends {@code span} (with no response) if {@code owner} becomes unreachable first: for a stream handle the
     * application may drop without opening or closing it.
     */
    public static void endWhenUnreachable(Object owner, LlmSpan span) {
        CLEANER.register(owner, span::close);
    }

    private record EndAbandoned(LlmSpan span, Accumulator<?> accumulator) implements Runnable {
        @Override
        public void run() {
            if (!span.isEnded()) {
                span.end(safeResponse(accumulator));
            }
        }
    }

    private static LlmResponse safeResponse(Accumulator<?> accumulator) {
        try {
            return accumulator.response();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static final class Observing<C> implements Spliterator<C> {
        private final LlmSpan span;
        private final Spliterator<C> source;
        private final Accumulator<C> accumulator;

        Observing(LlmSpan span, Spliterator<C> source, Accumulator<C> accumulator) {
            this.span = span;
            this.source = source;
            this.accumulator = accumulator;
        }

        @Override
        public boolean tryAdvance(Consumer<? super C> action) {
            boolean advanced;
            try {
                advanced = source.tryAdvance(chunk -> {
                    try {
                        accumulator.accept(chunk, span);
                    } catch (RuntimeException e) {
                        // observing never breaks the application's stream
                    }
                    action.accept(chunk);
                });
            } catch (RuntimeException | Error e) {
                span.fail(e);
                throw e;
            }
            if (!advanced) {
                span.end(safeResponse(accumulator));
            }
            return advanced;
        }

        @Override
        public Spliterator<C> trySplit() {
            return null;
        }

        @Override
        public long estimateSize() {
            return source.estimateSize();
        }

        @Override
        public int characteristics() {
            return source.characteristics() & (ORDERED | NONNULL);
        }
    }
}
