package io.llmobservatory.enrich.cost;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names a model may be priced under, most specific first: as sent, without a router or path prefix
 * ({@code openai/gpt-4o}, {@code models/gemini-2.5-pro}), and without Bedrock's region, vendor and version
 * decorations ({@code us.anthropic.claude-3-5-sonnet-20240620-v1:0}).
 */
final class ModelNames {
    private static final Pattern PATH_PREFIX = Pattern.compile("^.*/");
    private static final Pattern BEDROCK_REGION = Pattern.compile("^(us|eu|apac|ap|global|us-gov|ca|jp|au)\\.");
    private static final Pattern BEDROCK_VENDOR = Pattern.compile(
            "^(anthropic|meta|amazon|mistral|cohere|ai21|deepseek|openai|qwen|writer|twelvelabs)\\.");
    private static final Pattern BEDROCK_VERSION = Pattern.compile("-v\\d+(:\\d+)?$");

    private ModelNames() {
    }

    static List<String> candidates(String model) {
        Set<String> names = new LinkedHashSet<>();
        String name = model.trim();
        names.add(name);
        name = PATH_PREFIX.matcher(name).replaceFirst("");
        names.add(name);
        name = BEDROCK_REGION.matcher(name).replaceFirst("");
        names.add(name);
        name = BEDROCK_VENDOR.matcher(name).replaceFirst("");
        names.add(name);
        names.add(BEDROCK_VERSION.matcher(name).replaceFirst(""));
        names.removeIf(String::isEmpty);
        return List.copyOf(names);
    }
}
