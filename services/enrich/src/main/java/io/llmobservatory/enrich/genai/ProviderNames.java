package io.llmobservatory.enrich.genai;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One name per provider: the OpenTelemetry {@code gen_ai.provider.name} value where one is defined, whatever
 * spelling an instrumentation used; and the provider behind a {@code server.address} when none was reported.
 */
public final class ProviderNames {
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("azure", "azure.ai.openai"),
            Map.entry("azure_openai", "azure.ai.openai"),
            Map.entry("azure-openai", "azure.ai.openai"),
            Map.entry("azure.openai", "azure.ai.openai"),
            Map.entry("az.ai.openai", "azure.ai.openai"),
            Map.entry("az.ai.inference", "azure.ai.inference"),
            Map.entry("aws", "aws.bedrock"),
            Map.entry("bedrock", "aws.bedrock"),
            Map.entry("amazon-bedrock", "aws.bedrock"),
            Map.entry("amazon.bedrock", "aws.bedrock"),
            Map.entry("google", "gcp.gemini"),
            Map.entry("gemini", "gcp.gemini"),
            Map.entry("google-genai", "gcp.gemini"),
            Map.entry("google.generative-ai", "gcp.gemini"),
            Map.entry("vertex", "gcp.vertex_ai"),
            Map.entry("vertexai", "gcp.vertex_ai"),
            Map.entry("vertex_ai", "gcp.vertex_ai"),
            Map.entry("google.vertex", "gcp.vertex_ai"),
            Map.entry("mistral", "mistral_ai"),
            Map.entry("mistralai", "mistral_ai"),
            Map.entry("xai", "x_ai"),
            Map.entry("x-ai", "x_ai"),
            Map.entry("watsonx", "ibm.watsonx.ai"));
    /** SDK-specific API suffixes (Vercel AI SDK's {@code openai.chat}, {@code anthropic.messages}, ...). */
    private static final Pattern API_SUFFIX = Pattern.compile(
            "\\.(chat|messages|responses|completion|completions|embedding|embeddings|image|transcription|speech)$");

    private record HostRule(Pattern host, String provider) {
    }

    private static final List<HostRule> HOSTS = List.of(
            new HostRule(Pattern.compile("(^|\\.)api\\.openai\\.com$"), "openai"),
            new HostRule(Pattern.compile("(^|\\.)api\\.anthropic\\.com$"), "anthropic"),
            new HostRule(Pattern.compile("\\.openai\\.azure\\.com$|\\.cognitiveservices\\.azure\\.com$|\\.azure-api\\.net$"), "azure.ai.openai"),
            new HostRule(Pattern.compile("\\.services\\.ai\\.azure\\.com$|\\.models\\.ai\\.azure\\.com$"), "azure.ai.inference"),
            new HostRule(Pattern.compile("^bedrock-runtime\\.[a-z0-9-]+\\.amazonaws\\.com$"), "aws.bedrock"),
            new HostRule(Pattern.compile("(^|\\.)generativelanguage\\.googleapis\\.com$"), "gcp.gemini"),
            new HostRule(Pattern.compile("aiplatform\\.googleapis\\.com$"), "gcp.vertex_ai"),
            new HostRule(Pattern.compile("(^|\\.)api\\.mistral\\.ai$"), "mistral_ai"),
            new HostRule(Pattern.compile("(^|\\.)api\\.groq\\.com$"), "groq"),
            new HostRule(Pattern.compile("(^|\\.)api\\.deepseek\\.com$"), "deepseek"),
            new HostRule(Pattern.compile("(^|\\.)api\\.x\\.ai$"), "x_ai"),
            new HostRule(Pattern.compile("(^|\\.)api\\.cohere\\.(ai|com)$"), "cohere"),
            new HostRule(Pattern.compile("(^|\\.)api\\.perplexity\\.ai$"), "perplexity"),
            new HostRule(Pattern.compile("(^|\\.)api\\.together\\.(xyz|ai)$"), "together"),
            new HostRule(Pattern.compile("(^|\\.)api\\.fireworks\\.ai$"), "fireworks"),
            new HostRule(Pattern.compile("(^|\\.)openrouter\\.ai$"), "openrouter"),
            new HostRule(Pattern.compile("(^|\\.)api\\.cerebras\\.ai$"), "cerebras"),
            new HostRule(Pattern.compile("(^|\\.)api\\.moonshot\\.(ai|cn)$"), "moonshotai"));

    private ProviderNames() {
    }

    public static String canonical(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String lower = name.trim().toLowerCase(Locale.ROOT);
        String alias = ALIASES.get(lower);
        if (alias != null) {
            return alias;
        }
        String stripped = API_SUFFIX.matcher(lower).replaceFirst("");
        return ALIASES.getOrDefault(stripped, stripped);
    }

    /** The provider serving a host name or URL, or null. */
    static String fromServerAddress(String address) {
        if (address == null || address.isBlank()) {
            return null;
        }
        String host = address.trim().toLowerCase(Locale.ROOT).replaceFirst("^[a-z]+://", "").replaceFirst("[:/].*$", "");
        for (HostRule rule : HOSTS) {
            if (rule.host().matcher(host).find()) {
                return rule.provider();
            }
        }
        return null;
    }
}
