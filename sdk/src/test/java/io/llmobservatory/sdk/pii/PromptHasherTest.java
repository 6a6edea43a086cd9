package io.llmobservatory.sdk.pii;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromptHasherTest {
    /** BLAKE3's published test vector: keyed_hash, key "whats the Elvish word for friend", empty input. */
    @Test
    void isKeyedBlake3() {
        String key = java.util.HexFormat.of().formatHex("whats the Elvish word for friend".getBytes());
        assertThat(PromptHasher.withKey(key).hash(""))
                .isEqualTo("92b2b75604ed3c761f9d6f62392c8a9227ad0ea3f09573e783f1498a4ed60d26");
    }

    @Test
    void equalPromptsCorrelateUnderOneKeyOnly() {
        PromptHasher a = PromptHasher.withKey("installation-a");
        assertThat(a.hash("my prompt")).isEqualTo(PromptHasher.withKey("installation-a").hash("my prompt"))
                .isNotEqualTo(a.hash("my prompt!"))
                .isNotEqualTo(PromptHasher.withKey("installation-b").hash("my prompt"))
                .hasSize(64);
    }

    @Test
    void aReusedDigestKeepsItsKeyAndForgetsThePreviousInput() {
        PromptHasher h = PromptHasher.withKey("k");
        String first = h.hash("one");
        h.hash("something else entirely");
        assertThat(h.hash("one")).isEqualTo(first).isEqualTo(PromptHasher.withKey("k").hash("one"));
    }

    @Test
    void blankKeyIsRefused() {
        assertThatThrownBy(() -> PromptHasher.withKey(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
