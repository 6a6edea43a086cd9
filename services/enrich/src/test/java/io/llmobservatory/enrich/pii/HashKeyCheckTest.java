package io.llmobservatory.enrich.pii;

import io.llmobservatory.enrich.config.EnrichConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** enrich does not start on a hash key anyone knows, unless a test profile allows it. */
class HashKeyCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {EnrichConfig.Pii.BUILT_IN_HASH_KEY, "change-me-to-a-long-random-string", " "})
    void aPublicKeyStopsTheStart(String key) {
        assertThatThrownBy(() -> HashKeyCheck.verify(key, false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("OBSERVATORY_ENRICH_PII_HASH_KEY");
    }

    @Test
    void aTestProfileMayAllowTheBuiltInKey() {
        assertThatCode(() -> HashKeyCheck.verify(EnrichConfig.Pii.BUILT_IN_HASH_KEY, true)).doesNotThrowAnyException();
    }

    @Test
    void aPerInstallationKeyStarts() {
        assertThatCode(() -> HashKeyCheck.verify("9f2c4e1a7b3d5f60e8a1c2b3d4e5f60718293a4b5c6d7e8f", false))
                .doesNotThrowAnyException();
    }
}
