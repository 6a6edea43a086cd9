// Records the spans real GenAI instrumentation libraries emit, as their users run them, against a local stand-in
// for an OpenAI-compatible API. Usage (from a scratch dir holding package.json's dependencies, outside the repo):
//   npm install && node record.cjs <openinference|openllmetry|vercel-otel|vercel-legacy|langfuse|openlit> <scenario> > out.json
// Scenarios: the usage the stand-in server answers with (scenario below). Output: one JSON fixture, spans in end
// order with their parent, name and attributes, exported through an OpenTelemetry in-memory exporter.
'use strict';
const http = require('node:http');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');

const SCENARIOS = {
  // OpenAI chat usage: prompt_tokens include the cached and audio parts, completion_tokens the reasoning and audio.
  cached: { model: 'gpt-4o-mini', usage: { prompt_tokens: 120, completion_tokens: 45, total_tokens: 165,
    prompt_tokens_details: { cached_tokens: 20 } } },
  reasoning: { model: 'o4-mini', usage: { prompt_tokens: 120, completion_tokens: 45, total_tokens: 165,
    prompt_tokens_details: { cached_tokens: 20 }, completion_tokens_details: { reasoning_tokens: 30 } } },
  // GPT-5.6 reports prompt-cache writes beside reads (prompt_tokens_details.cache_write_tokens).
  cachewrite: { model: 'gpt-5.6-sol', usage: { prompt_tokens: 120, completion_tokens: 45, total_tokens: 165,
    prompt_tokens_details: { cached_tokens: 20, cache_write_tokens: 30 } } },
  audio: { model: 'gpt-audio-mini', usage: { prompt_tokens: 120, completion_tokens: 45, total_tokens: 165,
    prompt_tokens_details: { audio_tokens: 50, cached_tokens: 0 }, completion_tokens_details: { audio_tokens: 30, reasoning_tokens: 0 } } },
};

/** OTLP/JSON AnyValue to a plain value, as the in-memory exporter holds attributes. */
function anyValue(v) {
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return v.doubleValue;
  if ('boolValue' in v) return v.boolValue;
  if ('arrayValue' in v) return (v.arrayValue.values || []).map(anyValue);
  return null;
}

/** The OpenAI-compatible stand-in; it also takes OTLP/JSON on /v1/traces for libraries that export only there. */
function standIn(scenario, otlpSpans) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', c => { body += c; });
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        for (const rs of JSON.parse(body).resourceSpans || []) {
          for (const ss of rs.scopeSpans || []) {
            for (const sp of ss.spans || []) {
              otlpSpans.push({ name: sp.name, spanId: sp.spanId, parentSpanId: sp.parentSpanId || null,
                attributes: Object.fromEntries((sp.attributes || []).map(a => [a.key, anyValue(a.value)])) });
            }
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
        return;
      }
      const model = JSON.parse(body || '{}').model || scenario.model;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        id: 'chatcmpl-recorded', object: 'chat.completion', created: 1765000000, model: scenario.responseModel || model,
        choices: [{ index: 0, message: { role: 'assistant', content: 'Paris.' }, finish_reason: 'stop' }],
        usage: scenario.usage,
      }));
    });
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main() {
  const [library, scenarioName] = process.argv.slice(2);
  const scenario = SCENARIOS[scenarioName];
  if (!scenario) throw new Error('unknown scenario ' + scenarioName);
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const otlpSpans = [];
  if (library !== 'openlit') {
    provider.register(); // OpenLIT builds and registers its own provider, exporting OTLP/JSON to the stand-in
  }
  const server = await standIn(scenario, otlpSpans);
  const baseURL = `http://127.0.0.1:${server.address().port}/v1`;
  const messages = [{ role: 'user', content: 'Capital of France?' }];
  const packages = ['@opentelemetry/sdk-trace-node'];

  if (library === 'openinference') {
    const { OpenAIInstrumentation } = require('@arizeai/openinference-instrumentation-openai');
    const OpenAI = require('openai');
    new OpenAIInstrumentation().manuallyInstrument(OpenAI);
    await new OpenAI({ apiKey: 'sk-test', baseURL }).chat.completions.create({ model: scenario.model, messages });
    packages.push('@arizeai/openinference-instrumentation-openai', 'openai');
  } else if (library === 'openllmetry') {
    const { OpenAIInstrumentation } = require('@traceloop/instrumentation-openai');
    const OpenAI = require('openai');
    new OpenAIInstrumentation().manuallyInstrument(OpenAI);
    await new OpenAI({ apiKey: 'sk-test', baseURL }).chat.completions.create({ model: scenario.model, messages });
    packages.push('@traceloop/instrumentation-openai', 'openai');
  } else if (library === 'vercel-otel' || library === 'vercel-legacy') {
    const { generateText, registerTelemetry } = require('ai');
    const { OpenTelemetry, LegacyOpenTelemetry } = require('@ai-sdk/otel');
    const { createOpenAI } = require('@ai-sdk/openai');
    registerTelemetry(library === 'vercel-otel' ? new OpenTelemetry() : new LegacyOpenTelemetry());
    const openai = createOpenAI({ apiKey: 'sk-test', baseURL });
    await generateText({ model: openai.chat(scenario.model), prompt: 'Capital of France?' });
    packages.push('ai', '@ai-sdk/otel', '@ai-sdk/openai');
  } else if (library === 'langfuse') {
    const { observeOpenAI } = require('@langfuse/openai');
    const OpenAI = require('openai');
    const client = observeOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL }));
    await client.chat.completions.create({ model: scenario.model, messages });
    packages.push('@langfuse/openai', '@langfuse/tracing', 'openai');
  } else if (library === 'openlit') {
    const openlit = require('openlit').default || require('openlit');
    const OpenAI = require('openai');
    openlit.init({ applicationName: 'recorder', disableMetrics: true, disableEvents: true, disableBatch: true,
      otlpEndpoint: `http://127.0.0.1:${server.address().port}`, instrumentations: { openai: OpenAI } });
    await new OpenAI({ apiKey: 'sk-test', baseURL }).chat.completions.create({ model: scenario.model, messages });
    for (let i = 0; i < 50 && otlpSpans.length === 0; i++) {
      await new Promise(r => setTimeout(r, 100));
    }
    packages.push('openlit', 'openai');
  } else {
    throw new Error('unknown library ' + library);
  }
  await provider.forceFlush();
  server.close();
  const fs = require('node:fs');
  const path = require('node:path');
  const versions = Object.fromEntries(packages.map(p => [p,
    JSON.parse(fs.readFileSync(path.join(process.cwd(), 'node_modules', p, 'package.json'), 'utf8')).version]));
  const spans = library === 'openlit' ? otlpSpans : exporter.getFinishedSpans().map(s => ({
    name: s.name,
    spanId: s.spanContext().spanId,
    parentSpanId: s.parentSpanContext ? s.parentSpanContext.spanId : (s.parentSpanId || null),
    attributes: s.attributes,
  }));
  const out = { library, scenario: scenarioName, recordedWith: versions, node: process.version,
    standInUsage: scenario.usage, spans };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  await provider.shutdown();
}

main().catch(e => { console.error(e); process.exit(1); });
