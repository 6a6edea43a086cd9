package io.llmobservatory.ingest.receiver;

import com.google.protobuf.Message;
import io.llmobservatory.ingest.config.IngestConfig;
import io.llmobservatory.shared.auth.AuthFailure;
import io.llmobservatory.shared.auth.KeyVerifier;
import io.llmobservatory.shared.auth.Scope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;


/**
 * The OTLP receiver behind both transports and all three signals: resolves the tenant, validates, forwards the
 * valid items to enrich and answers with OTLP partial success. Counts items with the Collector's self-metric names
 * ({@code otelcol_receiver_accepted_spans}, {@code ..._metric_points}, {@code ..._log_records}; the forward to
 * enrich as {@code otelcol_exporter_sent_spans} / {@code otelcol_exporter_send_failed_spans} with exporter=enrich).
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class OtlpReceiver {
    private final IngestConfig config;
    private final MeterRegistry registry;
    private final KeyVerifier verifier;
    private final Admission admission;
    private final Rejections rejections;

    public OtlpReceiver(IngestConfig config, MeterRegistry registry, KeyVerifier verifier, Admission admission,
                        Rejections rejections) {
        this.rejections = rejections;
        this.config = config;
        this.registry = registry;
        this.verifier = verifier;
        this.admission = admission;
        // Registered at start (at zero), as the Collector does, so rates and dashboards have series before traffic.
        for (String items : java.util.List.of("spans", "metric_points", "log_records")) {
            for (String transport : java.util.List.of("grpc", "http")) {
                for (String outcome : java.util.List.of("accepted", "refused")) {
                    counter(outcome, items, transport);
                }
            }
            exporter("sent", items);
            exporter("send.failed", items);
        }
    }

    /**
     * The tenant a request acts on, once its API key is verified and has the {@code ingest} scope: the key's tenant
     * (a tenant header naming another is PERMISSION_DENIED); for the operator key or with auth off, the tenant
     * header, else the default tenant. Fails with an {@link AuthFailure} or an {@link InvalidRequestException}.
     */
    public Uni<String> tenant(String apiKey, String header) {
        return verifier.verify(apiKey).map(p -> {
            try {
                return p.require(Scope.INGEST).tenant(header, config.tenant().header(), config.tenant().defaultTenant());
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException(e.getMessage());
            }
        });
    }

    /**
     * Validates, admits (in-flight bytes, the tenant's rate) and forwards a request; completes when enrich has stored
     * it. A {@link Throttled} refusal happens before any work and stores nothing.
     */
    public <Q extends Message, R extends Message> Uni<R> export(Signal<Q, R> signal, String tenant, Q request,
                                                                String transport) {
        long bytes = request.getSerializedSize();
        admission.reserve(bytes);
        try {
            return admitted(signal, tenant, request, transport).onTermination().invoke(() -> admission.release(bytes));
        } catch (RuntimeException e) {
            admission.release(bytes);
            throw e;
        }
    }

    private <Q extends Message, R extends Message> Uni<R> admitted(Signal<Q, R> signal, String tenant, Q request,
                                                                   String transport) {
        ValidatedBatch<Q> batch = signal.validator().validate(request);
        try {
            admission.checkRate(tenant, batch.acceptedItems());
        } catch (Throttled e) {
            counter("refused", signal, transport).increment(batch.acceptedItems() + batch.rejectedItems());
            throw e;
        }
        if (batch.rejectedItems() > 0) {
            counter("refused", signal, transport).increment(batch.rejectedItems());
        }
        R response = batch.rejectedItems() == 0 ? signal.partial().apply(0, null)
                : signal.partial().apply(batch.rejectedItems(), "rejected " + batch.rejectedItems() + " of "
                        + (batch.rejectedItems() + batch.acceptedItems()) + " " + signal.items().replace('_', ' ')
                        + "; first: " + batch.firstProblem());
        if (batch.acceptedItems() == 0) {
            return Uni.createFrom().item(response);
        }
        return signal.forward().apply(tenant, batch.accepted())
                .invoke(refused -> {
                    counter("accepted", signal, transport).increment(batch.acceptedItems() - refused.items());
                    counter("refused", signal, transport).increment(refused.items());
                    exporter("sent", signal).increment(batch.acceptedItems());
                })
                .onFailure().invoke(() -> {
                    counter("refused", signal, transport).increment(batch.acceptedItems());
                    exporter("send.failed", signal).increment(batch.acceptedItems());
                })
                .map(refused -> refused.items() == 0 ? response : partial(signal, batch, refused));
    }

    /** Ingest's rejections and enrich's (values the store cannot hold) in one partial success. */
    private static <Q extends Message, R extends Message> R partial(Signal<Q, R> signal, ValidatedBatch<Q> batch,
                                                                    Signal.Refused refused) {
        long rejected = batch.rejectedItems() + refused.items();
        String first = batch.rejectedItems() > 0 ? batch.firstProblem() : refused.firstProblem();
        return signal.partial().apply((int) rejected, "rejected " + rejected + " of "
                + (batch.rejectedItems() + batch.acceptedItems()) + " " + signal.items().replace('_', ' ')
                + "; first: " + first);
    }

    /** Where refused requests are counted and (once per interval) logged. */
    public Rejections rejections() {
        return rejections;
    }

    /** The hop to enrich is this collector's exporter: {@code otelcol_exporter_sent_spans{exporter="enrich"}} etc. */
    private Counter exporter(String outcome, Signal<?, ?> signal) {
        return exporter(outcome, signal.items());
    }

    private Counter exporter(String outcome, String items) {
        return Counter.builder("otelcol.exporter." + outcome + "." + items.replace('_', '.'))
                .tag("exporter", "enrich").register(registry);
    }

    private Counter counter(String outcome, Signal<?, ?> signal, String transport) {
        return counter(outcome, signal.items(), transport);
    }

    private Counter counter(String outcome, String items, String transport) {
        return Counter.builder("otelcol.receiver." + outcome + "." + items.replace('_', '.'))
                .tag("receiver", "otlp").tag("transport", transport).register(registry);
    }
}
