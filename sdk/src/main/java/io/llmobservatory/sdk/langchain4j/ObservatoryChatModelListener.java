package io.llmobservatory.sdk.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.llmobservatory.sdk.ErrorTypes;
import io.llmobservatory.sdk.LlmInstrumentation;
import io.llmobservatory.sdk.LlmMessage;
import io.llmobservatory.sdk.LlmObservatory;
import io.llmobservatory.sdk.LlmRequest;
import io.llmobservatory.sdk.LlmResponse;
import io.llmobservatory.sdk.LlmSpan;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * LangChain4j chat models, observed: add {@code .listeners(List.of(new ObservatoryChatModelListener()))} to the
 * model's builder. Each call becomes an LLM span, child of what is current when the call starts. Streaming models are
 * observed too, but LangChain4j tells listeners nothing between request and response, so their spans carry no time
 * to first chunk.
 */
public final class ObservatoryChatModelListener implements ChatModelListener {
    private static final String SPAN = ObservatoryChatModelListener.class.getName() + ".span";

    static {
        ErrorTypes.register(ObservatoryChatModelListener::errorType);
    }

    private final LlmInstrumentation llm;

    /** Through the installed (or agent's) OpenTelemetry. */
    public ObservatoryChatModelListener() {
        this(null);
    }

    public ObservatoryChatModelListener(LlmInstrumentation llm) {
        this.llm = llm;
    }

    @Override
    public void onRequest(ChatModelRequestContext context) {
        try {
            LlmInstrumentation i = llm != null ? llm : LlmObservatory.instrumentation();
            context.attributes().put(SPAN, i.start(request(context.chatRequest(), context.modelProvider())));
        } catch (RuntimeException e) {
            // observing never breaks the application's call
        }
    }

    @Override
    public void onResponse(ChatModelResponseContext context) {
        if (context.attributes().get(SPAN) instanceof LlmSpan span) {
            LlmResponse response = null;
            try {
                response = response(context.chatResponse());
            } catch (RuntimeException e) {
                // end the span with what is known
            }
            span.end(response);
        }
    }

    @Override
    public void onError(ChatModelErrorContext context) {
        if (context.attributes().get(SPAN) instanceof LlmSpan span) {
            span.fail(context.error());
        }
    }

    static LlmRequest request(ChatRequest request, ModelProvider provider) {
        ChatRequestParameters p = request.parameters();
        String model = request.modelName() != null ? request.modelName() : "unknown";
        return LlmRequest.chat(provider(provider), model)
                .temperature(p == null ? null : p.temperature())
                .topP(p == null ? null : p.topP())
                .topK(p == null || p.topK() == null ? null : p.topK().doubleValue())
                .maxTokens(p == null || p.maxOutputTokens() == null ? null : p.maxOutputTokens().longValue())
                .frequencyPenalty(p == null ? null : p.frequencyPenalty())
                .presencePenalty(p == null ? null : p.presencePenalty())
                .stopSequences(p == null ? null : p.stopSequences())
                .messages(messages(request.messages()))
                .build();
    }

    static List<LlmMessage> messages(List<ChatMessage> messages) {
        List<LlmMessage> out = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            if (m instanceof UserMessage u) {
                out.add(LlmMessage.user(u.hasSingleText() ? u.singleText() : ""));
            } else if (m instanceof SystemMessage s) {
                out.add(LlmMessage.system(s.text()));
            } else if (m instanceof AiMessage a) {
                out.add(LlmMessage.assistant(a.text()));
            } else if (m instanceof ToolExecutionResultMessage t) {
                out.add(new LlmMessage("tool", t.text(), null));
            }
        }
        return out;
    }

    static LlmResponse response(ChatResponse response) {
        ChatResponseMetadata meta = response.metadata();
        String finish = finishReason(meta.finishReason());
        LlmResponse.Builder b = LlmResponse.builder().id(meta.id()).model(meta.modelName())
                .finishReasons(finish == null ? null : List.of(finish));
        AiMessage ai = response.aiMessage();
        if (ai != null) {
            b.messages(List.of(LlmMessage.output(ai.text(), finish)));
        }
        TokenUsage usage = meta.tokenUsage();
        if (usage != null) {
            b.inputTokens(toLong(usage.inputTokenCount())).outputTokens(toLong(usage.outputTokenCount()));
            // Provider-specific details (OpenAiTokenUsage) without depending on the provider's module.
            b.cacheReadInputTokens(positive(detail(usage, "inputTokensDetails", "cachedTokens")));
            b.reasoningOutputTokens(positive(detail(usage, "outputTokensDetails", "reasoningTokens")));
        }
        return b.build();
    }

    /** LangChain4j's provider, named as the conventions' {@code gen_ai.provider.name} values. */
    static String provider(ModelProvider provider) {
        if (provider == null) {
            return "_OTHER";
        }
        return switch (provider) {
            case OPEN_AI -> "openai";
            case AZURE_OPEN_AI -> "azure.ai.openai";
            case ANTHROPIC, GOOGLE_VERTEX_AI_ANTHROPIC -> "anthropic";
            case AMAZON_BEDROCK -> "aws.bedrock";
            case GOOGLE_AI_GEMINI -> "gcp.gemini";
            case GOOGLE_VERTEX_AI_GEMINI -> "gcp.vertex_ai";
            case GOOGLE_GENAI -> "gcp.gen_ai";
            case MISTRAL_AI -> "mistral_ai";
            case WATSONX -> "ibm.watsonx.ai";
            case OTHER -> "_OTHER";
            default -> provider.name().toLowerCase(Locale.ROOT).replace("_", "");
        };
    }

    static String finishReason(FinishReason reason) {
        if (reason == null) {
            return null;
        }
        return switch (reason) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case TOOL_EXECUTION -> "tool_call";
            case CONTENT_FILTER -> "content_filter";
            default -> reason.name().toLowerCase(Locale.ROOT);
        };
    }

    /** The HTTP status behind a LangChain4j failure, when there is one. */
    static String errorType(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpException h) {
                return String.valueOf(h.statusCode());
            }
            if (t == t.getCause()) {
                break;
            }
        }
        return error instanceof RateLimitException ? "429" : null;
    }

    private static Long detail(Object usage, String group, String field) {
        try {
            Method g = usage.getClass().getMethod(group);
            Object details = g.invoke(usage);
            if (details == null) {
                return null;
            }
            Object v = details.getClass().getMethod(field).invoke(details);
            return v instanceof Number n ? n.longValue() : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Long positive(Long v) {
        return v == null || v <= 0 ? null : v;
    }

    private static Long toLong(Integer v) {
        return v == null ? null : v.longValue();
    }
}
