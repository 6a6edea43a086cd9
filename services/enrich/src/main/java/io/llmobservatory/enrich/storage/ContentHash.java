package io.llmobservatory.enrich.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** 16-byte content hashes (SHA-256 prefix) used as idempotency keys for rows without a natural id. */
final class ContentHash {
    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private ContentHash() {
    }

    /** Hex of the first 16 bytes of SHA-256 over the parts, each length-prefixed so boundaries cannot blur. */
    static String of(String... parts) {
        MessageDigest md = SHA256.get();
        md.reset();
        for (String part : parts) {
            byte[] bytes = (part == null ? "\u0000null" : part).getBytes(StandardCharsets.UTF_8);
            md.update((byte) (bytes.length >>> 24));
            md.update((byte) (bytes.length >>> 16));
            md.update((byte) (bytes.length >>> 8));
            md.update((byte) bytes.length);
            md.update(bytes);
        }
        return HEX.formatHex(md.digest(), 0, 16);
    }
}
