package io.llmobservatory.enrich.grpc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandoffTest {
    @Test
    void handsTheValueOverOnceAndLetsGoOfIt() {
        Handoff<String> handoff = new Handoff<>("batch");
        assertThat(handoff.take()).isEqualTo("batch");
        assertThatThrownBy(handoff::take).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already handed");
    }
}
