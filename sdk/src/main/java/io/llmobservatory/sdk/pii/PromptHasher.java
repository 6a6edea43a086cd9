package io.llmobservatory.sdk.pii;

import org.bouncycastle.crypto.digests.Blake3Digest;
import org.bouncycastle.crypto.params.Blake3Parameters;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Keyed BLAKE3 of a prompt ({@code gen_ai.prompt_hash}): equal prompts of one installation get equal hashes, so they
 * can be counted and correlated after scrubbing, while nobody without the key can test a guess against them.
 */
public final class PromptHasher {
    private static final HexFormat HEX = HexFormat.of();
    private final byte[] key;
    /** A keyed digest per thread: setting one up costs more than hashing a prompt. doFinal resets it, key kept. */
    private final ThreadLocal<Blake3Digest> digests;

    private PromptHasher(byte[] key) {
        this.key = key.clone();
        this.digests = ThreadLocal.withInitial(() -> {
            Blake3Digest d = new Blake3Digest(256);
            d.init(Blake3Parameters.key(this.key));
            return d;
        });
    }

    /**
     * A hasher under {@code secret}: 64 hex digits are taken as the 32-byte key itself; any other text is first
     * hashed (BLAKE3) into one.
     */
    public static PromptHasher withKey(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("the prompt hash key must not be blank");
        }
        if (secret.matches("[0-9a-fA-F]{64}")) {
            return new PromptHasher(HEX.parseHex(secret));
        }
        Blake3Digest digest = new Blake3Digest(256);
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        digest.update(bytes, 0, bytes.length);
        byte[] derived = new byte[32];
        digest.doFinal(derived, 0);
        return new PromptHasher(derived);
    }

    /** A hasher under a random key: hashes correlate within this process only. */
    public static PromptHasher withRandomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return new PromptHasher(k);
    }

    /** 64 hex digits: the keyed BLAKE3-256 of the text's UTF-8 bytes. */
    public String hash(String text) {
        Blake3Digest digest = digests.get();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(bytes, 0, bytes.length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return HEX.formatHex(out);
    }
}
