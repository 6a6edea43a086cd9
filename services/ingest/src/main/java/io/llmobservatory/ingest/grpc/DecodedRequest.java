package io.llmobservatory.ingest.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.grpc.MethodDescriptor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A request message, or why it could not be decoded. grpc-java turns a marshaller failure into UNKNOWN before any
 * application code runs; decoding into this holder lets the service answer INVALID_ARGUMENT with a readable message.
 */
record DecodedRequest<T>(T message, String error) {

    static <T extends com.google.protobuf.Message> MethodDescriptor.Marshaller<DecodedRequest<T>> marshaller(
            Parser<T> parser) {
        return new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(DecodedRequest<T> value) {
                return value.message().toByteString().newInput();
            }

            @Override
            public DecodedRequest<T> parse(InputStream stream) {
                try {
                    return new DecodedRequest<>(parser.parseFrom(stream), null);
                } catch (InvalidProtocolBufferException e) {
                    return new DecodedRequest<>(null, e.getMessage());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
