package io.llmobservatory.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in LLM provider: an HTTP server answering OpenAI-style chat completions at {@code /chat/completions} (and
 * {@code /v1/chat/completions}), plain or streamed (server-sent events, usage in the last chunk), and 429 for the model
 * {@code rate-limited}. Bodies are fixed so tests can assert exact tokens and ids.
 */
public final class StandInProvider implements AutoCloseable {
    public static final String ANSWER = "Paris is the capital of France.";
    private final HttpServer server;
    public final List<String> requests = new CopyOnWriteArrayList<>();

    public StandInProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL OpenAI clients take (their paths start with /chat/completions). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(body);
        String model = field(body, "model");
        if (!exchange.getRequestURI().getPath().endsWith("/chat/completions")) {
            send(exchange, 404, "application/json", "{\"error\":{\"message\":\"not found\"}}");
            return;
        }
        if ("rate-limited".equals(model)) {
            send(exchange, 429, "application/json",
                    "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}");
            return;
        }
        if (body.replace(" ", "").contains("\"stream\":true")) {
            stream(exchange, model);
            return;
        }
        send(exchange, 200, "application/json", """
                {"id":"chatcmpl-123","object":"chat.completion","created":1700000000,"model":"%s-2024-08-06",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop","logprobs":null}],
                 "usage":{"prompt_tokens":42,"completion_tokens":7,"total_tokens":49,
                          "prompt_tokens_details":{"cached_tokens":10},
                          "completion_tokens_details":{"reasoning_tokens":3}}}
                """.formatted(model, ANSWER));
    }

    private void stream(HttpExchange exchange, String model) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            String[] words = ANSWER.split(" ");
            event(out, chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
            for (int i = 0; i < words.length; i++) {
                event(out, chunk(model, "{\"content\":\"" + (i == 0 ? "" : " ") + words[i] + "\"}", null));
            }
            event(out, chunk(model, "{}", "\"stop\""));
            event(out, """
                    {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1700000000,"model":"%s-2024-08-06","choices":[],\
                    "usage":{"prompt_tokens":30,"completion_tokens":6,"total_tokens":36}}""".formatted(model));
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String chunk(String model, String delta, String finish) {
        return """
                {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1700000000,"model":"%s-2024-08-06",\
                "choices":[{"index":0,"delta":%s,"finish_reason":%s}]}""".formatted(model, delta, finish);
    }

    private static void event(OutputStream out, String json) throws IOException {
        out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A top-level string field of a small JSON body (enough for a test server). */
    private static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\"");
        if (at < 0) {
            return "";
        }
        int start = json.indexOf('"', json.indexOf(':', at) + 1) + 1;
        return json.substring(start, json.indexOf('"', start));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
