package io.llmobservatory.ingest.rest;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.llmobservatory.ingest.config.IngestConfig;
import io.llmobservatory.ingest.exporter.ExportFailure;
import io.llmobservatory.shared.auth.ApiKeys;
import io.llmobservatory.shared.auth.AuthFailure;
import io.llmobservatory.ingest.receiver.InvalidRequestException;
import io.llmobservatory.ingest.receiver.OtlpReceiver;
import io.llmobservatory.ingest.receiver.Signal;
import io.llmobservatory.ingest.receiver.Signals;
import io.llmobservatory.ingest.receiver.Throttled;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * OTLP/HTTP on :4318: {@code POST /v1/traces}, {@code /v1/metrics}, {@code /v1/logs} (protobuf or JSON, optionally
 * gzip). Errors carry a {@code google.rpc.Status} in the request's content type, as the OTLP specification asks.
 */
@Path("/v1")
public class OtlpResource {
    private final OtlpReceiver receiver;
    private final Signals signals;
    private final IngestConfig config;
    private final io.llmobservatory.ingest.receiver.Rejections rejections;

    public OtlpResource(OtlpReceiver receiver, Signals signals, IngestConfig config,
                        io.llmobservatory.ingest.receiver.Rejections rejections) {
        this.rejections = rejections;
        this.receiver = receiver;
        this.signals = signals;
        this.config = config;
    }

    @POST
    @Path("/traces")
    public Uni<Response> traces(byte[] body, @Context HttpHeaders headers) {
        return export(signals.traces(), body, headers);
    }

    @POST
    @Path("/metrics")
    public Uni<Response> metrics(byte[] body, @Context HttpHeaders headers) {
        return export(signals.metrics(), body, headers);
    }

    @POST
    @Path("/logs")
    public Uni<Response> logs(byte[] body, @Context HttpHeaders headers) {
        return export(signals.logs(), body, headers);
    }

    private <Q extends Message, R extends Message> Uni<Response> export(Signal<Q, R> signal, byte[] body,
                                                                        HttpHeaders headers) {
        String mediaType;
        try {
            mediaType = OtlpHttpCodec.mediaType(headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        } catch (OtlpHttpCodec.UnsupportedMediaException e) {
            return Uni.createFrom().item(error(415, Code.INVALID_ARGUMENT, e.getMessage(), OtlpHttpCodec.JSON));
        }
        try {
            byte[] payload = OtlpHttpCodec.decompress(body == null ? new byte[0] : body,
                    headers.getHeaderString(HttpHeaders.CONTENT_ENCODING), config.http().maxDecompressedBytes());
            String apiKey = ApiKeys.fromHeaders(headers.getHeaderString(HttpHeaders.AUTHORIZATION),
                    headers.getHeaderString("x-api-key"));
            return receiver.tenant(apiKey, headers.getHeaderString(config.tenant().header()))
                    .flatMap(tenant -> receiver.export(signal, tenant, OtlpHttpCodec.decode(signal, payload, mediaType),
                            "http"))
                    .map(r -> Response.ok(OtlpHttpCodec.encode(r, mediaType), mediaType).build())
                    .onFailure().recoverWithItem(f -> failure(f, mediaType));
        } catch (RuntimeException e) {
            return Uni.createFrom().item(failure(e, mediaType));
        }
    }

    private Response failure(Throwable f, String mediaType) {
        if (f instanceof AuthFailure e) {
            return switch (e.kind()) {
                case UNAUTHENTICATED -> Response.fromResponse(error(401, Code.UNAUTHENTICATED, e.getMessage(), mediaType))
                        .header("WWW-Authenticate", "Bearer").build();
                case PERMISSION_DENIED -> error(403, Code.PERMISSION_DENIED, e.getMessage(), mediaType);
                case UNAVAILABLE -> Response.fromResponse(error(503, Code.UNAVAILABLE, e.getMessage(), mediaType))
                        .header("Retry-After", "1").build();
            };
        }
        if (f instanceof OtlpHttpCodec.TooLargeException e) {
            return error(413, Code.RESOURCE_EXHAUSTED, e.getMessage(), mediaType);
        }
        if (f instanceof OtlpHttpCodec.UnsupportedMediaException e) {
            return error(415, Code.INVALID_ARGUMENT, e.getMessage(), mediaType);
        }
        if (f instanceof InvalidRequestException e) {
            rejections.refused(e.reason(), "http", e.getMessage());
            return error(400, Code.INVALID_ARGUMENT, e.getMessage(), mediaType);
        }
        if (f instanceof Throttled e) {
            return Response.fromResponse(error(e.rateLimited() ? 429 : 503,
                            e.rateLimited() ? Code.RESOURCE_EXHAUSTED : Code.UNAVAILABLE, e.getMessage(), mediaType))
                    .header("Retry-After", String.valueOf(Math.max(1, e.retryAfter().toSeconds()))).build();
        }
        if (f instanceof ExportFailure e && !e.retryable()) {
            return error(400, Code.INVALID_ARGUMENT, e.getMessage(), mediaType);
        }
        long retryAfter = f instanceof ExportFailure e ? Math.max(1, e.retryAfter().toSeconds()) : 1;
        String message = f instanceof ExportFailure ? f.getMessage() : "ingest failed: " + f;
        return Response.status(503).entity(OtlpHttpCodec.encode(status(Code.UNAVAILABLE, message), mediaType))
                .type(mediaType).header("Retry-After", String.valueOf(retryAfter)).build();
    }

    private static Response error(int httpStatus, Code code, String message, String mediaType) {
        return Response.status(httpStatus).entity(OtlpHttpCodec.encode(status(code, message), mediaType))
                .type(mediaType).build();
    }

    private static Status status(Code code, String message) {
        return Status.newBuilder().setCode(code.getNumber()).setMessage(message).build();
    }
}
