package io.llmobservatory.sdk;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.llmobservatory.sdk.GenAiAttributes.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The conventions' client metrics: duration per call (with error.type on failure), tokens by type. */
class LlmMetricsTest {
    @Test
    void durationAndTokenUsageAreRecordedWithTheConventionsAttributes() {
        try (Recording r = new Recording()) {
            LlmInstrumentation llm = r.llm(LlmOptions.defaults());
            for (int i = 0; i < 2; i++) {
                llm.call(LlmRequest.chat("openai", "gpt-4o").build(), () -> "ok", a -> LlmResponse.builder()
                        .model("gpt-4o-2024-08-06").inputTokens(100L).outputTokens(10L).build());
            }
            llm.start(LlmRequest.chat("openai", "gpt-4o").build()).fail("429", null);

            Collection<MetricData> metrics = r.metrics.collectAllMetrics();
            Map<Attributes, HistogramPointData> tokens = points(metrics, "gen_ai.client.token.usage");
            Attributes base = Attributes.builder().put(OPERATION_NAME, "chat").put(PROVIDER_NAME, "openai")
                    .put(REQUEST_MODEL, "gpt-4o").put(RESPONSE_MODEL, "gpt-4o-2024-08-06").build();
            assertThat(tokens.get(base.toBuilder().put(TOKEN_TYPE, "input").build()).getSum()).isEqualTo(200.0);
            assertThat(tokens.get(base.toBuilder().put(TOKEN_TYPE, "output").build()).getSum()).isEqualTo(20.0);
            assertThat(tokens).hasSize(2);
            Map<Attributes, HistogramPointData> duration = points(metrics, "gen_ai.client.operation.duration");
            assertThat(duration.get(base).getCount()).isEqualTo(2);
            Attributes failed = Attributes.builder().put(OPERATION_NAME, "chat").put(PROVIDER_NAME, "openai")
                    .put(REQUEST_MODEL, "gpt-4o").put(ERROR_TYPE, "429").build();
            assertThat(duration.get(failed).getCount()).isEqualTo(1);
        }
    }

    private static Map<Attributes, HistogramPointData> points(Collection<MetricData> metrics, String name) {
        List<HistogramPointData> points = metrics.stream().filter(m -> m.getName().equals(name))
                .flatMap(m -> m.getHistogramData().getPoints().stream()).toList();
        return points.stream().collect(Collectors.toMap(HistogramPointData::getAttributes, p -> p));
    }
}
