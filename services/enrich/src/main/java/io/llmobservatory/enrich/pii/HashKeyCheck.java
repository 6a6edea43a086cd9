package io.llmobservatory.enrich.pii;

import io.llmobservatory.enrich.config.EnrichConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Refuses to start with a PII hash key anyone knows (the built-in default, or a {@code change-me} placeholder from the
 * manifests): with it, a hashed e-mail is found by hashing guesses. A test profile may allow it.
 */
@ApplicationScoped
public class HashKeyCheck {
    private static final Logger LOG = Logger.getLogger(HashKeyCheck.class);

    void onStart(@Observes StartupEvent event, EnrichConfig config) {
        verify(config.pii().hashKey(), config.pii().allowBuiltInHashKey());
    }

    /** Throws when the key is public and not explicitly allowed; warns when it is allowed. */
    static void verify(String hashKey, boolean allowBuiltIn) {
        if (!isPublic(hashKey)) {
            return;
        }
        if (!allowBuiltIn) {
            throw new IllegalStateException("observatory.enrich.pii.hash-key (OBSERVATORY_ENRICH_PII_HASH_KEY) is "
                    + "the built-in key or a placeholder: hashed values could be reversed by hashing guesses. Set a "
                    + "long random key per installation (./observatory up generates one; e.g. openssl rand -hex 32)");
        }
        LOG.warn("PII hashing uses the built-in key (allowed by observatory.enrich.pii.allow-built-in-hash-key); "
                + "never in production");
    }

    static boolean isPublic(String hashKey) {
        return hashKey == null || hashKey.isBlank() || hashKey.equals(EnrichConfig.Pii.BUILT_IN_HASH_KEY)
                || hashKey.startsWith("change-me");
    }
}
