package io.llmobservatory.sdk;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * {@code error.type} of a failed call, low in cardinality as the conventions ask: the HTTP status code when a
 * registered classifier knows it (the integrations register theirs), else the exception's class name.
 */
public final class ErrorTypes {
    private static final List<Function<Throwable, String>> CLASSIFIERS = new CopyOnWriteArrayList<>();

    private ErrorTypes() {
    }

    /** Adds a classifier: it answers an error type for the throwables it knows, null for the others. */
    public static void register(Function<Throwable, String> classifier) {
        if (!CLASSIFIERS.contains(classifier)) {
            CLASSIFIERS.add(classifier);
        }
    }

    public static String of(Throwable error) {
        if (error == null) {
            return "_OTHER";
        }
        for (Function<Throwable, String> c : CLASSIFIERS) {
            String type = c.apply(error);
            if (type != null) {
                return type;
            }
        }
        return error.getClass().getName();
    }
}
