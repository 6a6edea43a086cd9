package io.llmobservatory.shared.model;

import java.util.regex.Pattern;

/** The one rule for tenant ids, as every service reads them from {@code X-Scope-OrgID}. */
public final class TenantIds {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** What a caller is told when an id breaks the rule. */
    public static final String RULE = "1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit";

    private TenantIds() {
    }

    public static boolean isValid(String tenant) {
        return tenant != null && VALID.matcher(tenant).matches();
    }
}
