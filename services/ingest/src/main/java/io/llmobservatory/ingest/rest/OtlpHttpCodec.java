package io.llmobservatory.ingest.rest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.llmobservatory.ingest.receiver.InvalidRequestException;
import io.llmobservatory.shared.otlp.OtlpJson;
import io.llmobservatory.ingest.receiver.Signal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * OTLP/HTTP bodies: gzip or identity content encoding, protobuf or JSON content type; responses in the
 * request's content type.
 */
final class OtlpHttpCodec {
    static final String PROTOBUF = "application/x-protobuf";
    static final String JSON = "application/json";

    /** The body is larger than allowed after decompression (413). */
    static final class TooLargeException extends RuntimeException {
        TooLargeException(String message) {
            super(message);
        }
    }

    /** The content type or encoding is not one OTLP/HTTP defines (415). */
    static final class UnsupportedMediaException extends RuntimeException {
        UnsupportedMediaException(String message) {
            super(message);
        }
    }

    private OtlpHttpCodec() {
    }

    /** Normalised content type: protobuf or JSON; anything else is unsupported. */
    static String mediaType(String contentType) {
        String base = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (base.equals(PROTOBUF) || base.equals(JSON)) {
            return base;
        }
        throw new UnsupportedMediaException("Content-Type must be " + PROTOBUF + " or " + JSON
                + (base.isEmpty() ? "" : ", got " + base));
    }

    static byte[] decompress(byte[] body, String contentEncoding, int maxBytes) {
        String encoding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        if (encoding.isEmpty() || encoding.equals("identity")) {
            if (body.length > maxBytes) {
                throw new TooLargeException("request body is " + body.length + " bytes; the limit is " + maxBytes);
            }
            return body;
        }
        if (!encoding.equals("gzip")) {
            throw new UnsupportedMediaException("Content-Encoding must be gzip or identity, got " + encoding);
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, body.length * 4 + 64));
            byte[] buffer = new byte[16384];
            int total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new TooLargeException("request body exceeds " + maxBytes + " bytes after gzip decompression");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new InvalidRequestException("body is not valid gzip: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    static <Q extends Message> Q decode(Signal<Q, ?> signal, byte[] body, String mediaType) {
        try {
            if (mediaType.equals(JSON)) {
                return (Q) OtlpJson.merge(body, signal.jsonBuilder().get()).build();
            }
            return signal.parser().parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidRequestException(e instanceof io.llmobservatory.shared.otlp.OtlpJson.UnpairedSurrogateException
                    ? "invalid_utf16" : "undecodable", "cannot decode " + (mediaType.equals(JSON) ? "OTLP/JSON" : "OTLP/protobuf")
                    + " " + signal.requestType() + ": " + e.getMessage());
        }
    }

    static byte[] encode(Message message, String mediaType) {
        return mediaType.equals(JSON)
                ? OtlpJson.print(message).getBytes(java.nio.charset.StandardCharsets.UTF_8)
                : message.toByteArray();
    }
}
