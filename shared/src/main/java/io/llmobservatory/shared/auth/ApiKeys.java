package io.llmobservatory.shared.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API key tokens: {@code obs_<id>_<secret>} — a public id (16 hex digits, shown in lists and logs) and a secret of
 * 256 random bits (base64url). Only the SHA-256 of the secret is stored: a key with 256 bits of entropy needs no slow
 * password hash (as with GitHub or Stripe tokens), and a fast hash keeps verification cheap on the ingest path.
 */
public final class ApiKeys {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern TOKEN = Pattern.compile("obs_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final String BEARER = "bearer ";

    /** A key as handed out once at creation: the token, its id and the hash to store. */
    public record NewKey(String id, String token, byte[] secretSha256) {
    }

    /** A presented token split into its id and the SHA-256 of its secret. */
    public record Presented(String id, byte[] secretSha256) {
    }

    private ApiKeys() {
    }

    public static NewKey generate() {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        String idHex = HexFormat.of().formatHex(id);
        String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new NewKey(idHex, "obs_" + idHex + "_" + secretText, sha256(secretText));
    }

    /** The token's id and secret hash, or empty when it is not shaped like one of our keys. */
    public static Optional<Presented> parse(String token) {
        if (token == null) {
            return Optional.empty();
        }
        var m = TOKEN.matcher(token.trim());
        return m.matches() ? Optional.of(new Presented(m.group(1), sha256(m.group(2)))) : Optional.empty();
    }

    /**
     * The key a request presents: {@code Authorization: Bearer <key>} or the {@code x-api-key} header, null when
     * neither is there.
     */
    public static String fromHeaders(String authorization, String apiKeyHeader) {
        if (authorization != null && authorization.length() > BEARER.length()
                && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).trim();
        }
        if (apiKeyHeader != null && !apiKeyHeader.isBlank()) {
            return apiKeyHeader.trim();
        }
        return null;
    }

    /** Constant-time comparison of two secret hashes. */
    public static boolean sameHash(byte[] a, byte[] b) {
        return a != null && b != null && MessageDigest.isEqual(a, b);
    }

    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
