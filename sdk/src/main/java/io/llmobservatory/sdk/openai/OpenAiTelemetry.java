package io.llmobservatory.sdk.openai;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.models.completions.CompletionUsage;
import com.openai.services.blocking.ChatService;
import com.openai.services.blocking.chat.ChatCompletionService;
import io.llmobservatory.sdk.ErrorTypes;
import io.llmobservatory.sdk.LlmInstrumentation;
import io.llmobservatory.sdk.LlmMessage;
import io.llmobservatory.sdk.LlmObservatory;
import io.llmobservatory.sdk.LlmRequest;
import io.llmobservatory.sdk.LlmResponse;
import io.llmobservatory.sdk.LlmSpan;
import io.llmobservatory.sdk.ObservedStream;
import io.opentelemetry.context.Scope;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The official OpenAI Java SDK, observed: {@code OpenAiTelemetry.wrap(OpenAIOkHttpClient.fromEnv())} returns a client
 * whose chat completions ({@code client.chat().completions().create(..)} and {@code createStreaming(..)}) are LLM
 * spans. Everything else passes through untouched. The async client is not observed.
 */
public final class OpenAiTelemetry {
    static final String PROVIDER = "openai";

    static {
        ErrorTypes.register(e -> e instanceof OpenAIServiceException s ? String.valueOf(s.statusCode()) : null);
    }

    private OpenAiTelemetry() {
    }

    /** {@code client} observed through the installed (or agent's) OpenTelemetry. */
    public static OpenAIClient wrap(OpenAIClient client) {
        return wrap(client, LlmObservatory.instrumentation());
    }

    public static OpenAIClient wrap(OpenAIClient client, LlmInstrumentation llm) {
        return proxy(OpenAIClient.class, client, llm);
    }

    private static <T> T proxy(Class<T> type, T target, LlmInstrumentation llm) {
        return type.cast(observed(type, target, llm));
    }

    private static Object observed(Class<?> type, Object target, LlmInstrumentation llm) {
        if (Proxy.isProxyClass(target.getClass()) && Proxy.getInvocationHandler(target) instanceof Observing) {
            return target;
        }
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, new Observing(target, llm));
    }

    private record Observing(Object target, LlmInstrumentation llm) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Class<?> returns = method.getReturnType();
            boolean chatParams = args != null && args.length > 0 && args[0] instanceof ChatCompletionCreateParams;
            if (chatParams && method.getName().equals("create")) {
                return create(method, args);
            }
            if (chatParams && method.getName().equals("createStreaming")) {
                return createStreaming(method, args);
            }
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "Observed(" + target + ")";
                };
            }
            Object result = call(method, args);
            // Keep observing down the path to the chat completions service, whatever options are added on the way.
            if (result != null && (returns == OpenAIClient.class || returns == ChatService.class
                    || returns == ChatCompletionService.class)) {
                return observed(returns, result, llm);
            }
            return result;
        }

        private Object call(Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private Object create(Method method, Object[] args) throws Throwable {
            ChatCompletionCreateParams params = (ChatCompletionCreateParams) args[0];
            LlmSpan span = llm.start(request(params));
            ChatCompletion completion;
            try (Scope ignored = span.makeCurrent()) {
                completion = (ChatCompletion) call(method, args);
            } catch (Throwable t) {
                span.fail(t);
                throw t;
            }
            LlmResponse response = null;
            try {
                response = response(completion);
            } catch (RuntimeException e) {
                // an answer the SDK could not read fully still ends the span
            }
            span.end(response);
            return completion;
        }

        @SuppressWarnings("unchecked")
        private Object createStreaming(Method method, Object[] args) throws Throwable {
            ChatCompletionCreateParams params = (ChatCompletionCreateParams) args[0];
            LlmSpan span = llm.start(request(params));
            StreamResponse<ChatCompletionChunk> response;
            try (Scope ignored = span.makeCurrent()) {
                response = (StreamResponse<ChatCompletionChunk>) call(method, args);
            } catch (Throwable t) {
                span.fail(t);
                throw t;
            }
            return new ObservedStreamResponse(response, span);
        }
    }

    /** The stream's chunks pass through the span; closing it (or abandoning it) ends the span. */
    private static final class ObservedStreamResponse implements StreamResponse<ChatCompletionChunk> {
        private final StreamResponse<ChatCompletionChunk> delegate;
        private final LlmSpan span;
        private Stream<ChatCompletionChunk> stream;

        ObservedStreamResponse(StreamResponse<ChatCompletionChunk> delegate, LlmSpan span) {
            this.delegate = delegate;
            this.span = span;
            ObservedStream.endWhenUnreachable(this, span);
        }

        @Override
        public synchronized Stream<ChatCompletionChunk> stream() {
            if (stream == null) {
                stream = ObservedStream.of(span, delegate.stream(), new ChunkAccumulator());
            }
            return stream;
        }

        @Override
        public void close() {
            try {
                delegate.close();
            } finally {
                Stream<ChatCompletionChunk> s;
                synchronized (this) {
                    s = stream;
                }
                if (s != null) {
                    s.close();
                } else {
                    span.close();
                }
            }
        }
    }

    static LlmRequest request(ChatCompletionCreateParams p) {
        Long maxTokens = p.maxCompletionTokens().orElse(p.maxTokens().orElse(null));
        List<String> stop = p.stop().map(s -> s.isString() ? List.of(s.asString()) : s.asStrings()).orElse(null);
        return LlmRequest.chat(PROVIDER, p.model().asString())
                .temperature(p.temperature().orElse(null))
                .topP(p.topP().orElse(null))
                .maxTokens(maxTokens)
                .frequencyPenalty(p.frequencyPenalty().orElse(null))
                .presencePenalty(p.presencePenalty().orElse(null))
                .seed(p.seed().orElse(null))
                .choiceCount(p.n().filter(n -> n != 1).orElse(null))
                .stopSequences(stop)
                .messages(messages(p.messages()))
                .build();
    }

    static List<LlmMessage> messages(List<ChatCompletionMessageParam> params) {
        List<LlmMessage> out = new ArrayList<>(params.size());
        for (ChatCompletionMessageParam m : params) {
            if (m.isUser()) {
                out.add(LlmMessage.user(m.asUser().content().text().orElse("")));
            } else if (m.isSystem()) {
                out.add(LlmMessage.system(m.asSystem().content().text().orElse("")));
            } else if (m.isDeveloper()) {
                out.add(new LlmMessage("developer", m.asDeveloper().content().text().orElse(""), null));
            } else if (m.isAssistant()) {
                out.add(LlmMessage.assistant(m.asAssistant().content().flatMap(c -> c.text()).orElse("")));
            } else if (m.isTool()) {
                out.add(new LlmMessage("tool", m.asTool().content().text().orElse(""), null));
            }
        }
        return out;
    }

    static LlmResponse response(ChatCompletion c) {
        List<String> finish = new ArrayList<>(c.choices().size());
        List<LlmMessage> output = new ArrayList<>(c.choices().size());
        for (ChatCompletion.Choice choice : c.choices()) {
            String reason = choice.finishReason().asString();
            finish.add(reason);
            output.add(LlmMessage.output(choice.message().content().orElse(""), reason));
        }
        LlmResponse.Builder b = LlmResponse.builder().id(c.id()).model(c.model()).finishReasons(finish).messages(output);
        c.usage().ifPresent(u -> usage(b, u));
        return b.build();
    }

    static void usage(LlmResponse.Builder b, CompletionUsage u) {
        b.inputTokens(u.promptTokens()).outputTokens(u.completionTokens());
        u.promptTokensDetails().ifPresent(d -> {
            d.cachedTokens().filter(n -> n > 0).ifPresent(b::cacheReadInputTokens);
            d.cacheWriteTokens().filter(n -> n > 0).ifPresent(b::cacheCreationInputTokens);
        });
        u.completionTokensDetails().flatMap(CompletionUsage.CompletionTokensDetails::reasoningTokens)
                .filter(n -> n > 0).ifPresent(b::reasoningOutputTokens);
    }

    /**
     * Collects a streamed answer: id, model, content and finish reason per choice, and usage (sent in the last chunk
     * when the request asks for it with {@code stream_options.include_usage}).
     */
    private static final class ChunkAccumulator implements ObservedStream.Accumulator<ChatCompletionChunk> {
        private String id;
        private String model;
        private final List<StringBuilder> content = new ArrayList<>();
        private final List<String> finish = new ArrayList<>();
        private CompletionUsage usage;

        @Override
        public void accept(ChatCompletionChunk chunk, LlmSpan span) {
            if (id == null) {
                id = chunk.id();
                model = chunk.model();
            }
            chunk.usage().ifPresent(u -> usage = u);
            for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                int i = (int) choice.index();
                while (content.size() <= i) {
                    content.add(new StringBuilder());
                    finish.add(null);
                }
                choice.delta().content().ifPresent(text -> {
                    if (!text.isEmpty()) {
                        span.chunk();
                        content.get(i).append(text);
                    }
                });
                int at = i;
                choice.finishReason().ifPresent(r -> finish.set(at, r.asString()));
            }
        }

        @Override
        public LlmResponse response() {
            Set<String> reasons = new LinkedHashSet<>();
            List<LlmMessage> output = new ArrayList<>(content.size());
            for (int i = 0; i < content.size(); i++) {
                if (finish.get(i) != null) {
                    reasons.add(finish.get(i));
                }
                output.add(LlmMessage.output(content.get(i).toString(), finish.get(i)));
            }
            LlmResponse.Builder b = LlmResponse.builder().id(id).model(model)
                    .finishReasons(finish.stream().filter(r -> r != null).toList()).messages(output);
            if (usage != null) {
                usage(b, usage);
            }
            return b.build();
        }
    }
}
