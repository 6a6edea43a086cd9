package io.llmobservatory.enrich.sampling;

import io.llmobservatory.shared.model.SpanRecord;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** The sampling stage: which of a batch's spans to store now. */
public interface SpanSampler {

    /**
     * @param costs the cost of each LLM call in the batch, by span id (for cost-based decisions)
     * @return the spans to store now; the rest are dropped or, with tail sampling, held for a later decision
     */
    List<SpanRecord> sample(String tenant, List<SpanRecord> spans, Map<String, BigDecimal> costs);
}
