package io.llmobservatory.enrich.sampling;

import io.llmobservatory.enrich.config.EnrichConfig;
import io.llmobservatory.enrich.export.ExternalStores;
import io.llmobservatory.enrich.storage.TraceRepository;
import io.smallrye.mutiny.Uni;
import io.llmobservatory.shared.model.SpanRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The configured sampling stage ({@code observatory.enrich.sampling.mode}), validated at start. */
@ApplicationScoped
public class Sampling implements SpanSampler {
    private static final Logger LOG = Logger.getLogger(Sampling.class);

    private final SpanSampler delegate;

    public Sampling(EnrichConfig config, TraceRepository repository, ExternalStores external, MeterRegistry registry) {
        EnrichConfig.Sampling c = config.sampling();
        this.delegate = switch (c.mode()) {
            case NONE -> (tenant, spans, costs) -> spans;
            case PRIORITY -> new PrioritySampler(c.priority().baseRate(), c.priority().errorRate(),
                    c.priority().slowThresholdMs(), c.priority().costThresholdUsd(), registry);
            case TAIL -> new TailSampler(PolicyFactory.parse(policies(c.tail())), c.tail().decisionWait(),
                    c.tail().numTraces(), c.tail().decisionCacheSize(),
                    (tenant, spans) -> (external.spansToPostgres() ? repository.store(tenant, spans, List.of())
                            : Uni.createFrom().voidItem()).chain(() -> external.spans(tenant, spans)), registry, true);
        };
        LOG.infof("span sampling: %s (LLM-call facts are always stored for every call)", c.mode());
    }

    private static String policies(EnrichConfig.Sampling.Tail tail) {
        if (tail.policiesFile().isPresent()) {
            try {
                return Files.readString(Path.of(tail.policiesFile().get()));
            } catch (IOException e) {
                throw new UncheckedIOException("observatory.enrich.sampling.tail.policies-file: cannot read "
                        + tail.policiesFile().get(), e);
            }
        }
        return tail.policies().orElseThrow(() -> new IllegalArgumentException(
                "observatory.enrich.sampling.mode=tail needs observatory.enrich.sampling.tail.policies "
                        + "(JSON, Collector tail_sampling shape) or .policies-file"));
    }

    @Override
    public List<SpanRecord> sample(String tenant, List<SpanRecord> spans, Map<String, BigDecimal> costs) {
        return delegate.sample(tenant, spans, costs);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (delegate instanceof TailSampler tail) {
            tail.close();
        }
    }
}
