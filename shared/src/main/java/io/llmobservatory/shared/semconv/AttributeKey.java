package io.llmobservatory.shared.semconv;

/**
 * A typed attribute key. The type says how the value is read (see {@code Attributes}); it does not
 * reject other wire types, because instrumentations disagree on them (tokens arrive as int, double, string).
 */
public record AttributeKey(String key, Type type) {

    public enum Type { STRING, LONG, DOUBLE, BOOLEAN, STRING_ARRAY }

    public AttributeKey {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("attribute key must not be blank");
        }
    }

    public static AttributeKey stringKey(String key) {
        return new AttributeKey(key, Type.STRING);
    }

    public static AttributeKey longKey(String key) {
        return new AttributeKey(key, Type.LONG);
    }

    public static AttributeKey doubleKey(String key) {
        return new AttributeKey(key, Type.DOUBLE);
    }

    public static AttributeKey stringArrayKey(String key) {
        return new AttributeKey(key, Type.STRING_ARRAY);
    }

    @Override
    public String toString() {
        return key;
    }
}
