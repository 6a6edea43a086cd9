package io.llmobservatory.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chromium.ChromiumDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console-render benchmark's browser half (benchmarks/console-render runs it against a running suite): the time
 * from navigation to each page's data on screen, over fresh page loads, written as a results file. Not a test: it
 * asserts no time, and without OBSERVATORY_CONSOLE_BENCH_URL it is skipped.
 */
class ConsoleRenderIT {
    /**
     * Installed in every document before the console runs: the first animation frame after the page has its data
     * (main names the page, no element is aria-busy="true" and at least one has finished, aria-busy="false": every
     * section of the console sets it when its API answers are rendered or failed) sets window.__renderedMs to the
     * time since navigation start.
     */
    private static final String OBSERVER = """
            (() => {
              if (location.protocol === 'about:') return;
              const done = () => {
                const main = document.getElementById('main');
                return !!main && !!main.dataset.page && !main.querySelector('[aria-busy="true"]')
                  && !!main.querySelector('[aria-busy="false"]');
              };
              const obs = new MutationObserver(() => {
                if (window.__renderedMs !== undefined || !done()) return;
                window.__renderedMs = null;
                obs.disconnect();
                requestAnimationFrame(() => { window.__renderedMs = performance.now(); });
              });
              obs.observe(document, {subtree: true, childList: true, attributes: true,
                attributeFilter: ['aria-busy', 'data-page']});
            })();""";

    private static String url;
    private static Browser browser;

    @BeforeAll
    static void start() {
        url = System.getenv("OBSERVATORY_CONSOLE_BENCH_URL");
        if (url == null || url.isBlank()) {
            System.err.println("""

                    ************************************************************************************
                    * SKIPPED: ConsoleRenderIT is the console-render benchmark; benchmarks/console-render *
                    *   runs it against a running suite (OBSERVATORY_CONSOLE_BENCH_URL unset).          *
                    ************************************************************************************
                    """);
        }
        Assumptions.assumeTrue(url != null && !url.isBlank(), "OBSERVATORY_CONSOLE_BENCH_URL unset: benchmark skipped");
        Browser.assumeInstalled();
        browser = Browser.start();
        ((ChromiumDriver) browser.driver).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", OBSERVER));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void firstRenderOfEveryPage() throws IOException {
        String key = env("OBSERVATORY_CONSOLE_BENCH_KEY", "");
        String tenant = env("OBSERVATORY_CONSOLE_BENCH_TENANT", "bench");
        int reps = Integer.parseInt(env("OBSERVATORY_CONSOLE_BENCH_REPS", "5"));
        String range = env("OBSERVATORY_CONSOLE_BENCH_RANGE", "30d");
        String traceQl = env("OBSERVATORY_CONSOLE_BENCH_TRACEQL", "{ status = error }");
        Path out = Path.of(env("OBSERVATORY_CONSOLE_BENCH_OUT", "console-render.tsv"));

        browser.driver.get(url + "/#/overview");
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("key"))).sendKeys(key);
        browser.find("#tenant").sendKeys(tenant);
        browser.find("#signin-submit").click();
        browser.await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("main[data-page=overview]")));

        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("Overview", "overview?from=" + range);
        pages.put("Traces (" + traceQl + ")", "traces?q=" + URLEncoder.encode(traceQl, StandardCharsets.UTF_8) + "&from=" + range);
        pages.put("Models", "models?from=" + range);
        pages.put("Users", "users?from=" + range);
        pages.put("Logs", "logs?from=" + range);
        pages.put("Alerts", "alerts");
        pages.put("Keys", "keys");
        for (String t : env("OBSERVATORY_CONSOLE_BENCH_TRACES", "").split(",")) {
            if (t.contains("=")) {
                pages.put("Trace waterfall, " + t.substring(0, t.indexOf('=')), "trace/" + t.substring(t.indexOf('=') + 1));
            }
        }

        List<String> lines = new ArrayList<>(List.of("page\tmedian_ms\tp95_ms\tmax_ms\treps"));
        for (Map.Entry<String, String> page : pages.entrySet()) {
            load(page.getValue()); // one unrecorded load: the server's first request for this page warms its caches
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < reps; i++) {
                ms.add(load(page.getValue()));
            }
            ms.sort(null);
            String line = "%s\t%.0f\t%.0f\t%.0f\t%d".formatted(page.getKey(), ms.get((ms.size() + 1) / 2 - 1),
                    ms.get(Math.min(ms.size(), (int) Math.ceil(ms.size() * 0.95)) - 1), ms.get(ms.size() - 1), ms.size());
            System.out.println(line);
            lines.add(line);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, lines);
    }

    /** A fresh page load of #/HASH (the key stays in the tab's session storage); ms until its data is on screen. */
    private double load(String hash) {
        browser.driver.get("about:blank");
        browser.driver.get(url + "/#/" + hash);
        browser.await(d -> js("return window.__renderedMs") != null);
        Object error = js("const e = document.querySelector('#main .error'); return e ? e.textContent : null");
        if (error != null) {
            throw new IllegalStateException("#/" + hash + " rendered an error: " + error);
        }
        return ((Number) js("return window.__renderedMs")).doubleValue();
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser.driver).executeScript(script);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
