package io.llmobservatory.enrich.cost;

import java.math.BigDecimal;

/**
 * The cost of one call in USD, with where it came from. Unpriced calls have null amounts and say why in
 * {@code source}; they are never $0.
 */
public record Cost(BigDecimal input, BigDecimal output, BigDecimal total, boolean priced, String source) {

    public static Cost unpriced(String reason) {
        return new Cost(null, null, null, false, reason);
    }
}
