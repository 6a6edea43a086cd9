package io.llmobservatory.e2e;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The console in a real browser against the whole suite: sign-in, the overview's numbers against the API's for a
 * known traffic set, a TraceQL search down to the waterfall and the LLM conversation, XSS payloads in a prompt, an
 * attribute and a log line staying text, the Keys page creating and revoking a key, the Alerts page. Every page is
 * saved as a screenshot (scripts/console-screenshots puts them in the README).
 */
class ConsoleIT {
    private static Suite suite;
    private static Browser browser;
    private static HttpServer probe;
    private static final AtomicInteger probeHits = new AtomicInteger();
    private static String tenant;
    private static String service;
    private static String conversationTrace;
    private static String baseUrl;

    @BeforeAll
    static void start() throws Exception {
        Browser.assumeInstalled();
        suite = Suite.get();
        baseUrl = suite.queryUrl();
        probe = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        probe.createContext("/", exchange -> {
            probeHits.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        probe.start();
        tenant = Llm.newTenant("console");
        service = "billing-" + UUID.randomUUID().toString().substring(0, 8);
        sendTraffic();
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (probe != null) {
            probe.stop(0);
        }
    }

    @BeforeEach
    void signedOut() {
        browser.driver.get(baseUrl + "/");
        js("sessionStorage.clear();");
        browser.driver.navigate().refresh();
    }

    /**
     * Known traffic: the SdkExportIT set (two gpt-4o calls, one claude call with an error, one unpriced model) and a
     * billing trace with a conversation (system, user, assistant tool call, tool result, answer), an e-mail the
     * scrubber redacts, XSS payloads in the prompt, the answer, an attribute and a linked log line.
     */
    private static void sendTraffic() {
        String probeUrl = "http://localhost:" + probe.getAddress().getPort();
        SdkTracerProvider known = Llm.provider("support-bot", exporter());
        Tracer t = known.get("e2e");
        Llm.chatTrace(t, "openai", "gpt-4o", 1000, 500, null, "alice", false);
        Llm.chatTrace(t, "openai", "gpt-4o", 3000, 1000, 2000L, "bob", false);
        Llm.chatTrace(t, "anthropic", "claude-3-5-sonnet-20241022", 2000, 100, 1000L, "alice", true);
        Llm.chatTrace(t, "acme", "acme-llm-7", 10, 10, null, "carol", false);
        Llm.flush(known);
        known.shutdown();

        SdkTracerProvider billing = Llm.provider(service, exporter());
        SdkLoggerProvider logging = SdkLoggerProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(OtlpHttpLogRecordExporter.builder()
                        .setEndpoint(suite.ingestHttpUrl() + "/v1/logs")
                        .addHeader("Authorization", Llm.bearer(suite, tenant)).build()))
                .build();
        Tracer bt = billing.get("e2e");
        Instant start = Instant.now().minusSeconds(3);
        Span root = bt.spanBuilder("POST /billing/ask").setSpanKind(SpanKind.SERVER).setStartTimestamp(start)
                .setAttribute("app.note", "<img src=" + probeUrl + "/attr onerror=\"window.__xss=3;alert(3)\">")
                .startSpan();
        Context rootCtx = Context.root().with(root);
        Span retrieve = bt.spanBuilder("retrieve documents").setParent(rootCtx).setStartTimestamp(start.plusMillis(5))
                .startSpan();
        retrieve.end(start.plusMillis(120));
        Span chat = bt.spanBuilder("chat gpt-4o").setParent(rootCtx).setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(start.plusMillis(130))
                .setAttribute("gen_ai.provider.name", "openai")
                .setAttribute("gen_ai.operation.name", "chat")
                .setAttribute("gen_ai.request.model", "gpt-4o")
                .setAttribute("gen_ai.usage.input_tokens", 1200L)
                .setAttribute("gen_ai.usage.output_tokens", 300L)
                .setAttribute("user.id", "jane")
                .setAttribute("gen_ai.input.messages", """
                        [{"role":"system","parts":[{"type":"text","content":"You are a billing assistant."}]},
                         {"role":"user","parts":[{"type":"text","content":"I am jane.doe@example.com. <img src=%s/prompt onerror=\\"window.__xss=1;alert(1)\\"> What is my balance?"}]},
                         {"role":"assistant","parts":[{"type":"tool_call","id":"call_1","name":"get_balance","arguments":{"account":"A-42"}}]},
                         {"role":"tool","parts":[{"type":"tool_call_response","id":"call_1","response":"balance 12.50 USD"}]}]
                        """.formatted(probeUrl))
                .setAttribute("gen_ai.output.messages", """
                        [{"role":"assistant","parts":[{"type":"text","content":"Your balance is 12.50 USD. <script>window.__xss=2;fetch('%s/script')</script>"}],"finish_reason":"stop"}]
                        """.formatted(probeUrl))
                .startSpan();
        chat.end(start.plusMillis(1130));
        Span tool = bt.spanBuilder("execute_tool get_balance").setParent(rootCtx).setStartTimestamp(start.plusMillis(1140))
                .startSpan();
        tool.setStatus(StatusCode.ERROR, "ledger timeout");
        tool.end(start.plusMillis(1400));
        logging.get("e2e").logRecordBuilder().setContext(rootCtx).setSeverity(Severity.WARN)
                .setBody("<script>window.__xss=4;fetch('" + probeUrl + "/log')</script> retrying ledger")
                .setTimestamp(start.plusMillis(1200)).emit();
        root.end(start.plusMillis(1500));
        Llm.flush(billing);
        assertThat(logging.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
        logging.shutdown();
        billing.shutdown();
        conversationTrace = root.getSpanContext().getTraceId();
    }

    private static OtlpGrpcSpanExporter exporter() {
        return OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + suite.ingestGrpcPort)
                .addHeader("Authorization", Llm.bearer(suite, tenant)).build();
    }

    @Test
    void theConsoleIsServedWithAStrictContentSecurityPolicyAndNoInlineScript() {
        var page = RestAssured.given().baseUri(baseUrl).get("/").then().statusCode(200).extract();
        String csp = page.header("Content-Security-Policy");
        assertThat(csp).contains("script-src 'self'", "style-src 'self'", "connect-src 'self'", "default-src 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(page.body().asString()).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain("style=");
        // The charting library comes from its WebJar, not from the repository.
        RestAssured.given().baseUri(baseUrl).get("/webjars/uplot/dist/uPlot.iife.min.js").then().statusCode(200);
    }

    @Test
    void aWrongKeyShowsAnErrorAndARightOneTheOverview() {
        browser.screenshot("sign-in");
        signIn("obs_0123456789abcdef_" + "x".repeat(43), null);
        WebElement error = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("signin-error")));
        assertThat(error.getText()).contains("401").contains("missing or invalid API key");
        assertThat(js("return sessionStorage.getItem('observatory.key')")).isNull();

        signIn(suite.key(tenant), null);
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("spend-30d")));
        assertThat(browser.driver.getCurrentUrl()).doesNotContain("obs_");
        assertThat(browser.find("#nav a[aria-current=page]").getText()).isEqualTo("Overview");
    }

    @Test
    void theOverviewsNumbersAreTheApis() {
        JsonPath costs = Llm.query(suite, tenant).get("/api/v1/costs/by-model?from=24h").then().statusCode(200)
                .extract().jsonPath();
        JsonPath spend = Llm.query(suite, tenant).get("/api/v1/spend").then().statusCode(200).extract().jsonPath();
        // The known set: 0.0225 (gpt-4o) + 0.0048 (claude) + 0.006 (the billing chat: 1200 * 2.5 + 300 * 10 micro-USD).
        assertThat(Llm.dec(costs.get("totalCostUsd"))).isEqualByComparingTo("0.0333");

        signIn(suite.key(tenant), null);
        browser.driver.get(baseUrl + "/#/overview?from=24h");
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("total-cost")));
        browser.await(d -> d.findElements(By.cssSelector("figure.chart")).size() >= 3);
        assertThat(browser.find("#total-cost").getText()).isEqualTo(money(costs.get("totalCostUsd")));
        List<Map<String, Object>> models = costs.getList("models");
        long requests = models.stream().mapToLong(m -> Llm.dec(m.get("requests")).longValue()).sum();
        assertThat(browser.find("#total-requests").getText()).isEqualTo(String.valueOf(requests));
        assertThat(browser.find("#spend-1h").getText()).isEqualTo(money(spend.get("tenantSpend.lastHourUsd")));
        assertThat(browser.find("#spend-24h").getText()).isEqualTo(money(spend.get("tenantSpend.last24hUsd")));
        assertThat(browser.find("#spend-7d").getText()).isEqualTo(money(spend.get("tenantSpend.last7dUsd")));
        assertThat(browser.find("#spend-30d").getText()).isEqualTo(money(spend.get("tenantSpend.last30dUsd")));
        assertThat(browser.find("#requests-30d").getText()).isEqualTo(String.valueOf(
                Llm.dec(spend.get("tenantSpend.requestsLast30d")).longValue()));
        // The unpriced model is called out, with its count.
        assertThat(browser.find("#unpriced").getText()).contains("1 calls").contains("acme-llm-7 (1)");
        // The cost chart's table: one row per model, the API's cost.
        List<String> cells = browser.driver.findElements(By.cssSelector("figure.chart table tbody tr")).stream()
                .map(r -> (String) js("return arguments[0].textContent", r)).toList();
        for (Map<String, Object> m : models) {
            assertThat(cells).anyMatch(c -> c.equals(m.get("model") + money(m.get("costUsd"))));
        }
        // The range is in the URL: a shared link opens the same view.
        new org.openqa.selenium.support.ui.Select(browser.find("#range-preset")).selectByValue("7d");
        browser.await(ExpectedConditions.urlContains("from=7d"));
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("total-cost")));
        browser.screenshot("overview");
    }

    @Test
    void aTraceQlSearchFindsTheTraceAndItsWaterfallShowsEverySpanAndTheConversation() {
        signIn(suite.key(tenant), null);
        browser.driver.get(baseUrl + "/#/traces");
        // A bad query shows the API's message at its column.
        type("#traceql", "{ span.gen_ai.request.model = }");
        browser.find("#search").click();
        WebElement error = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("traceql-error")));
        assertThat(error.getText()).contains("400").contains("column").contains("^");

        type("#traceql", "{ span.gen_ai.request.model = \"gpt-4o\" }");
        type("#f-service", service);
        browser.find("#search").click();
        WebElement link = browser.await(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("a.trace-link[href='#/trace/" + conversationTrace + "']")));
        assertThat(browser.driver.findElements(By.cssSelector("a.trace-link"))).hasSize(1);
        browser.screenshot("traces");
        link.click();

        browser.await(d -> d.findElements(By.cssSelector(".wf-row")).size() == 4);
        List<String> rows = browser.driver.findElements(By.cssSelector(".wf-row")).stream().map(WebElement::getText).toList();
        assertThat(String.join("\n", rows)).contains("POST /billing/ask", "retrieve documents", "chat gpt-4o",
                "execute_tool get_balance");
        // The failed span says so in text, not by colour alone.
        assertThat(rows).filteredOn(r -> r.contains("execute_tool")).singleElement().asString().contains("ERROR");
        // The LLM span is selected first: its conversation, tokens, cost and price source.
        WebElement panel = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("span-panel")));
        assertThat(panel.findElements(By.cssSelector(".msg .role")).stream().map(WebElement::getText).toList())
                .containsExactly("SYSTEM", "USER", "ASSISTANT", "TOOL (RESULT OF TOOL CALL CALL_1)", "ASSISTANT — FINISH: STOP");
        assertThat(panel.findElement(By.cssSelector(".tool-calls")).getText()).contains("get_balance").contains("A-42");
        assertThat(browser.find("#call-tokens").getText()).contains("input 1,200").contains("output 300");
        assertThat(browser.find("#call-cost").getText()).startsWith("$0.006");
        assertThat(browser.find("#call-price").getText()).contains("gpt-4o");
        // The e-mail was redacted before storage: the marker shows, the value is nowhere.
        assertThat(panel.findElements(By.cssSelector("mark.pii")).stream().map(m -> m.getAttribute("textContent")).toList())
                .isNotEmpty().allMatch(m -> m.startsWith("<") && m.endsWith(">"));
        assertThat(browser.driver.getPageSource()).doesNotContain("jane.doe@example.com");
        browser.screenshot("trace");
        // Keyboard: the waterfall is one tab stop; arrows move and Enter opens.
        WebElement tree = browser.find(".wf-viewport");
        tree.sendKeys(org.openqa.selenium.Keys.HOME, org.openqa.selenium.Keys.ENTER);
        browser.await(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#span-panel h2"), "POST /billing/ask"));
    }

    @Test
    void xssPayloadsInAPromptAnAttributeAndALogLineStayInertText() {
        signIn(suite.key(tenant), null);
        browser.driver.get(baseUrl + "/#/trace/" + conversationTrace);
        WebElement panel = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("span-panel")));
        browser.await(d -> !d.findElements(By.cssSelector(".log-body")).isEmpty());
        assertThat(panel.getText()).contains("<img src=http://localhost:").contains("onerror=\"window.__xss=1;alert(1)\">")
                .contains("<script>window.__xss=2;fetch(");
        assertThat(browser.find(".log-body").getText()).startsWith("<script>window.__xss=4;fetch(");
        browser.find(".wf-viewport").sendKeys(org.openqa.selenium.Keys.HOME, org.openqa.selenium.Keys.ENTER);
        browser.await(ExpectedConditions.textToBePresentInElementLocated(By.id("span-panel"), "window.__xss=3"));

        // The logs page shows the line as text too.
        browser.driver.get(baseUrl + "/#/logs?from=1h&query=" + java.net.URLEncoder.encode(
                "{service_name=\"" + service + "\"}", java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        browser.await(d -> !d.findElements(By.cssSelector(".log-body")).isEmpty());
        assertThat(browser.find(".log-body").getText()).contains("<script>window.__xss=4");
        browser.screenshot("logs");

        assertThat(browser.driver.findElements(By.cssSelector("#main img, #main script, #main iframe"))).isEmpty();
        assertThat(js("return window.__xss === undefined")).isEqualTo(true);
        assertThatThrownBy(() -> browser.driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(probeHits.get()).as("requests the payloads made").isZero();
    }

    @Test
    void theKeysPageCreatesAndRevokesAKey() {
        String admin = suite.createKey(tenant, List.of("query", "admin"));
        signIn(admin, null);
        browser.driver.get(baseUrl + "/#/keys");
        String name = "console-" + UUID.randomUUID().toString().substring(0, 8);
        type("#key-name", name);
        browser.find("#key-create").click();
        WebElement token = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("new-token")));
        String created = token.getAttribute("value");
        assertThat(created).startsWith("obs_");
        RestAssured.given().baseUri(baseUrl).header("Authorization", "Bearer " + created).get("/api/v1/spend")
                .then().statusCode(200);
        String id = created.substring(4, 20);
        WebElement revoke = browser.await(ExpectedConditions.elementToBeClickable(
                By.cssSelector("button[data-revoke='" + id + "']")));
        browser.screenshot("keys");
        revoke.click();
        browser.driver.switchTo().alert().accept();
        browser.await(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("button[data-revoke='" + id + "']")));
        List<Map<String, Object>> keys = RestAssured.given().baseUri(baseUrl).header("Authorization", "Bearer " + admin)
                .get("/api/v1/admin/keys?includeRevoked=true").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(keys).filteredOn(k -> id.equals(k.get("id"))).singleElement()
                .satisfies(k -> assertThat(k.get("revokedAt")).isNotNull());
    }

    @Test
    void theAlertsPageShowsTheRulesToTheOperatorAndAlertingsRefusalToATenant() {
        signIn(suite.key(tenant), null);
        browser.driver.get(baseUrl + "/#/alerts");
        browser.await(d -> d.findElements(By.cssSelector("p.error")).size() == 2);
        assertThat(browser.find("p.error").getText()).contains("403");

        signIn(Suite.OPERATOR_KEY, tenant);
        browser.driver.get(baseUrl + "/#/alerts");
        browser.await(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "HighErrorRate"));
        assertThat(browser.driver.findElements(By.cssSelector("p.error"))).isEmpty();
        browser.screenshot("alerts");
    }

    @Test
    void theModelsAndUsersPagesShowTheApisRows() {
        signIn(suite.key(tenant), null);
        browser.driver.get(baseUrl + "/#/models?from=24h");
        browser.await(d -> d.findElements(By.cssSelector("table.data tbody tr")).size() == 3);
        String table = browser.find("table.data").getText();
        assertThat(table).contains("gpt-4o", "claude-3-5-sonnet-20241022", "acme-llm-7");
        // The signal benchmarks/console-render times first render to: every section rendered, none still busy.
        assertThat(browser.driver.findElements(By.cssSelector("#main [aria-busy=true]"))).isEmpty();
        assertThat(browser.driver.findElements(By.cssSelector("#main [aria-busy=false]"))).isNotEmpty();
        // Sortable: by requests, descending puts gpt-4o (3 calls) first.
        browser.driver.findElements(By.cssSelector("th button.sort")).get(2).click();
        assertThat(browser.find("table.data tbody tr").getText()).startsWith("gpt-4o");
        assertThat(browser.driver.findElements(By.cssSelector("th[aria-sort=descending]"))).hasSize(1);
        browser.screenshot("models");

        browser.driver.get(baseUrl + "/#/users?from=24h");
        browser.await(d -> d.findElements(By.cssSelector("table.data tbody tr")).size() == 4);
        browser.driver.findElements(By.cssSelector("table.data tbody button.link")).stream()
                .filter(b -> b.getText().equals("jane")).findFirst().orElseThrow().click();
        WebElement traces = browser.await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("a.user-traces")));
        browser.screenshot("users");
        traces.click();
        browser.await(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("a.trace-link[href='#/trace/" + conversationTrace + "']")));
    }

    @Test
    void aTraceOfTenThousandSpansRendersOnlyTheRowsInView() throws Exception {
        String big = Llm.newTenant("console-big");
        String trace = OtlpJson.randomHex(16);
        String rootId = OtlpJson.randomHex(8);
        long t0 = OtlpJson.nowNanos() - 60_000_000_000L;
        List<io.opentelemetry.proto.trace.v1.Span> spans = new java.util.ArrayList<>();
        spans.add(Protos.span(trace, rootId, "GET /batch", t0, t0 + 50_000_000_000L));
        for (int i = 0; i < 99; i++) {
            String mid = OtlpJson.randomHex(8);
            long ms = t0 + i * 400_000_000L;
            spans.add(Protos.span(trace, mid, "mid " + i, ms, ms + 390_000_000L).toBuilder()
                    .setParentSpanId(Protos.id(rootId)).build());
            for (int j = 0; j < 100; j++) {
                long ls = ms + j * 3_000_000L;
                spans.add(Protos.span(trace, OtlpJson.randomHex(8), "leaf " + i + "-" + j, ls, ls + 2_000_000L)
                        .toBuilder().setParentSpanId(Protos.id(mid)).build());
            }
        }
        assertThat(spans).hasSize(10_000);
        try (RawGrpc grpc = new RawGrpc(suite.ingestGrpcPort, big)) {
            for (int from = 0; from < spans.size(); from += 1000) {
                grpc.export(Protos.request("batch-job", spans.subList(from, from + 1000)));
            }
        }
        signIn(suite.key(big), null);
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("spend-30d")));
        browser.driver.get(baseUrl + "/#/trace/" + trace);
        browser.await(ExpectedConditions.textToBePresentInElementLocated(By.id("trace-summary"), "10,000 spans"));
        assertThat(browser.driver.findElements(By.cssSelector(".wf-row")).size()).isBetween(10, 100);
        // The keyboard reaches the last span of the tree; still only the rows in view exist.
        browser.find(".wf-viewport").sendKeys(org.openqa.selenium.Keys.END, org.openqa.selenium.Keys.ENTER);
        browser.await(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#span-panel h2"), "leaf 98-99"));
        assertThat(browser.find(".wf-row.active").getText()).contains("leaf 98-99");
        assertThat(browser.driver.findElements(By.cssSelector(".wf-row")).size()).isBetween(10, 100);
    }

    private void signIn(String key, String tenantHeader) {
        js("sessionStorage.clear();");
        browser.driver.get(baseUrl + "/#/overview");
        browser.driver.navigate().refresh();
        type("#key", key);
        if (tenantHeader != null) {
            type("#tenant", tenantHeader);
        }
        browser.find("#signin-submit").click();
    }

    private static void type(String css, String text) {
        WebElement el = browser.await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
        el.clear();
        el.sendKeys(text);
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser.driver).executeScript(script, args);
    }

    /** The console's money format: 2 decimals from $1, else up to 6 significant decimals (at least 2). */
    static String money(Object value) {
        BigDecimal v = Llm.dec(value);
        if (v.abs().compareTo(BigDecimal.ONE) >= 0) {
            return "$" + v.setScale(2, RoundingMode.HALF_UP).toPlainString();
        }
        BigDecimal d = v.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
        if (d.scale() < 2) {
            d = d.setScale(2, RoundingMode.UNNECESSARY);
        }
        return "$" + d.toPlainString();
    }
}
