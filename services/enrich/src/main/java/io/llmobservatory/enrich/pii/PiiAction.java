package io.llmobservatory.enrich.pii;

/** What happens to an attribute's sensitive content. */
public enum PiiAction {
    /** Replace each detected value with a typed placeholder, e.g. {@code <EMAIL>}. */
    REDACT,
    /** Replace each detected value with a keyed hash ({@code <EMAIL:1f2e3d4c5b6a7988>}): equal values stay correlatable. */
    HASH,
    /** Remove the whole value, detected or not; keep {@code <key>_hash} so equal values stay correlatable. */
    DROP,
    /** Store as sent. */
    KEEP
}
