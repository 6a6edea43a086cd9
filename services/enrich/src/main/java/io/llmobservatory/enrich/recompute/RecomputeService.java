package io.llmobservatory.enrich.recompute;

import io.llmobservatory.enrich.cost.Cost;
import io.llmobservatory.enrich.cost.CostAttributes;
import io.llmobservatory.enrich.cost.CostCalculator;
import io.llmobservatory.enrich.cost.PriceResolver;
import io.llmobservatory.enrich.genai.LlmCall;
import io.llmobservatory.enrich.storage.RecomputeRepository;
import io.llmobservatory.enrich.storage.RecomputeRepository.Cursor;
import io.llmobservatory.enrich.storage.RecomputeRepository.Repriced;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Re-prices stored calls after a price change: walks a time range (optionally one tenant or model) page by page,
 * prices each call with today's catalogs and overrides, and rewrites the calls whose cost changed, and their spans.
 * Pricing depends only on the stored facts and the prices, so running it again changes nothing: it is idempotent.
 * Progress and the outcome are kept in {@code recompute_jobs}, the audit record.
 */
@ApplicationScoped
public class RecomputeService {
    private static final Logger LOG = Logger.getLogger(RecomputeService.class);
    static final int PAGE_SIZE = 500;

    private final RecomputeRepository repository;
    private final CostCalculator calculator;
    private final PriceResolver prices;

    public RecomputeService(RecomputeRepository repository, CostCalculator calculator, PriceResolver prices) {
        this.repository = repository;
        this.calculator = calculator;
        this.prices = prices;
    }

    /** Records the job and starts it in the background; the answer is the job as recorded. */
    public Uni<RecomputeJob> start(Instant from, Instant to, String tenant, String model, String requestedBy) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("'from' must be before 'to'");
        }
        UUID id = UUID.randomUUID();
        return repository.createJob(id, requestedBy, from, to, tenant, model, String.join(", ", prices.versions()))
                .invoke(job -> run(job).subscribe().with(
                        done -> LOG.infof("recompute %s done", id),
                        failure -> LOG.errorf(failure, "recompute %s failed", id)));
    }

    /** The job when it exists and belongs to {@code tenant} (null: any tenant). */
    public Uni<java.util.Optional<RecomputeJob>> job(UUID id, String tenant) {
        return repository.job(id, tenant);
    }

    public Uni<List<RecomputeJob>> recent(int limit, String tenant) {
        return repository.recentJobs(limit, tenant);
    }

    private Uni<Void> run(RecomputeJob job) {
        Progress progress = new Progress();
        return nextPage(job, Cursor.START, progress)
                .chain(() -> repository.finish(job.id(), RecomputeJob.DONE, null))
                .onFailure().call(f -> repository.finish(job.id(), RecomputeJob.FAILED, String.valueOf(f.getMessage())));
    }

    private Uni<Void> nextPage(RecomputeJob job, Cursor cursor, Progress progress) {
        return repository.page(job.from(), job.to(), job.tenant(), job.model(), cursor, PAGE_SIZE).chain(page -> {
            if (page.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            List<Repriced> changed = new ArrayList<>();
            for (StoredCall call : page) {
                Cost cost = calculator.price(call.tenant(), toCall(call));
                progress.seen++;
                progress.before = add(progress.before, call.costUsd());
                progress.after = add(progress.after, cost.total());
                if (changed(call, cost)) {
                    changed.add(new Repriced(call, cost, CostAttributes.of(cost)));
                }
            }
            progress.changed += changed.size();
            StoredCall last = page.get(page.size() - 1);
            Cursor next = new Cursor(last.time(), last.tenant(), last.traceId(), last.spanId());
            Uni<Void> written = repository.apply(changed, CostAttributes.COST_KEYS)
                    .chain(() -> repository.progress(job.id(), progress.seen, progress.changed, progress.before,
                            progress.after));
            return page.size() < PAGE_SIZE ? written : written.chain(() -> nextPage(job, next, progress));
        });
    }

    static boolean changed(StoredCall stored, Cost cost) {
        boolean sameTotal = stored.costUsd() == null ? cost.total() == null
                : cost.total() != null && stored.costUsd().compareTo(cost.total()) == 0;
        return !sameTotal || !Objects.equals(stored.costSource(), cost.source().label())
                || !Objects.equals(stored.priceVersion(), cost.version())
                || !Objects.equals(stored.priceSource(), cost.entry());
    }

    private static LlmCall toCall(StoredCall c) {
        long nanos = c.time().getEpochSecond() * 1_000_000_000L + c.time().getNano();
        return new LlmCall(c.traceId(), c.spanId(), nanos, 0, null, c.provider(), false, null, c.requestModel(),
                c.responseModel(), c.inputTokens(), c.outputTokens(), null, c.cacheReadTokens(), c.cacheWriteTokens(),
                c.reasoningTokens(), c.inputAudioTokens(), c.outputAudioTokens(), List.of(), 0, null, null, null, null, null, c.providedCostUsd(), null, List.of());
    }

    private static BigDecimal add(BigDecimal sum, BigDecimal value) {
        return value == null ? sum : sum.add(value);
    }

    private static final class Progress {
        long seen;
        long changed;
        BigDecimal before = BigDecimal.ZERO;
        BigDecimal after = BigDecimal.ZERO;
    }
}
