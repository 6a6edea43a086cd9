package io.llmobservatory.ingest.receiver;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.smallrye.mutiny.Uni;

import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * One OTLP signal (traces, metrics, logs) as the receiver sees it: how to decode, validate and forward a request,
 * and how to answer with partial success.
 *
 * @param name     {@code traces}, {@code metrics} or {@code logs} (also the OTLP/HTTP path {@code /v1/<name>})
 * @param items    what is counted: {@code spans}, {@code metric_points}, {@code log_records} (Collector metric names)
 * @param forward  sends the valid items on; completes with what enrich refused of them
 * @param partial  builds the response from the number rejected and the message (0 and null: plain success)
 */
public record Signal<Q extends Message, R extends Message>(
        String name,
        String items,
        String requestType,
        Parser<Q> parser,
        Supplier<Message.Builder> jsonBuilder,
        Validator<Q> validator,
        BiFunction<String, Q, Uni<Refused>> forward,
        BiFunction<Integer, String, R> partial) {

    /**
     * What enrich refused of a forwarded batch, item by item (a value the store cannot hold), while storing the rest;
     * answered to the client as partial success with ingest's own rejections.
     */
    public record Refused(long items, String firstProblem) {
        public static final Refused NONE = new Refused(0, null);
    }
}
