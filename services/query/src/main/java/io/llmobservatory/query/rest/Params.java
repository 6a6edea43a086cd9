package io.llmobservatory.query.rest;

import io.llmobservatory.query.service.InvalidParameterException;

/**
 * Numbers and flags read from the request text. Resources declare every parameter as a String and read it here,
 * because JAX-RS answers a value its own conversion refuses (an overflow, {@code 1e3}) with 404 and no name.
 */
public final class Params {
    private Params() {
    }

    /** An int, or null when absent; 400 naming the parameter when it is not one. */
    public static Integer integer(String name, String value) {
        Long parsed = parse(name, value, "an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
        if (parsed != null && (parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE)) {
            throw notA(name, value, "an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
        }
        return parsed == null ? null : parsed.intValue();
    }

    /** A long, or null when absent; 400 naming the parameter when it is not one. */
    public static Long longInteger(String name, String value) {
        return parse(name, value, "an integer");
    }

    /** {@code true} or {@code false} (any case); absent is false. */
    public static boolean flag(String name, String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw notA(name, value, "true or false");
    }

    private static Long parse(String name, String value, String what) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw notA(name, value, what);
        }
    }

    private static InvalidParameterException notA(String name, String value, String what) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return new InvalidParameterException(name + " must be " + what + ", got '" + shown.replace("\0", "\\0") + "'");
    }
}
