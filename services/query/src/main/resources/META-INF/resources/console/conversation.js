// An LLM span's conversation, read from whichever dialect wrote it: OpenTelemetry GenAI (gen_ai.input.messages /
// output.messages / system_instructions, or the older per-message events), OpenLLMetry (gen_ai.prompt.N.*),
// OpenInference (llm.input_messages.N.message.*), OpenLIT (gen_ai.prompt / gen_ai.completion). Messages are
// {role, content, toolCalls: [{id, name, arguments}], toolCallId}; content is only ever rendered as text.
import {h, text} from './dom.js';

function parseJson(v) {
  if (typeof v !== 'string') return v;
  try { return JSON.parse(v); } catch (e) { return null; }
}

function partsText(parts) {
  if (typeof parts === 'string') return parts;
  if (!Array.isArray(parts)) return text(parts);
  return parts.filter(p => p && (p.type === 'text' || p.content !== undefined) && p.type !== 'tool_call'
    && p.type !== 'tool_call_response').map(p => text(p.content ?? p.text)).join('\n');
}

function fromGenAiMessages(list, fallbackRole) {
  const arr = parseJson(list);
  if (!Array.isArray(arr)) return [];
  const out = [];
  for (const m of arr) {
    if (!m || typeof m !== 'object') continue;
    const parts = Array.isArray(m.parts) ? m.parts : null;
    const msg = {role: m.role || fallbackRole, content: parts ? partsText(parts) : text(m.content),
      toolCalls: [], toolCallId: m.tool_call_id || null};
    for (const p of parts || []) {
      if (p && p.type === 'tool_call') msg.toolCalls.push({id: p.id, name: p.name, arguments: text(p.arguments)});
      if (p && p.type === 'tool_call_response') {
        msg.toolCallId = p.id;
        msg.content = (msg.content ? msg.content + '\n' : '') + text(p.response ?? p.result);
      }
    }
    for (const t of m.tool_calls || []) {
      msg.toolCalls.push({id: t.id, name: t.function ? t.function.name : t.name,
        arguments: text(t.function ? t.function.arguments : t.arguments)});
    }
    if (m.finish_reason) msg.finishReason = m.finish_reason;
    out.push(msg);
  }
  return out;
}

/** Indexed attributes such as gen_ai.prompt.0.role into [{role, content, ...}] by index. */
function indexed(attrs, prefix, fieldsOf) {
  const byIndex = new Map();
  for (const [k, v] of Object.entries(attrs)) {
    if (!k.startsWith(prefix)) continue;
    const rest = k.slice(prefix.length);
    const m = /^(\d+)\.(.+)$/.exec(rest);
    if (!m) continue;
    const i = Number(m[1]);
    if (!byIndex.has(i)) byIndex.set(i, {});
    byIndex.get(i)[m[2]] = v;
  }
  return [...byIndex.keys()].sort((a, b) => a - b).map(i => fieldsOf(byIndex.get(i)));
}

function toolCallsOf(fields, prefix, name, args, id) {
  const calls = indexed(fields, prefix, f => ({id: f[id], name: f[name], arguments: text(f[args])}));
  return calls.filter(c => c.name || c.arguments);
}

export function conversation(span, logs) {
  const a = span.attributes || {};
  let msgs = [];
  if (a['gen_ai.system_instructions']) {
    msgs.push({role: 'system', content: partsText(parseJson(a['gen_ai.system_instructions']) ?? a['gen_ai.system_instructions']), toolCalls: []});
  }
  msgs = msgs.concat(fromGenAiMessages(a['gen_ai.input.messages'], 'user'),
    fromGenAiMessages(a['gen_ai.output.messages'], 'assistant'));
  if (msgs.length) return msgs;

  for (const [prefix, role] of [['gen_ai.prompt.', 'user'], ['gen_ai.completion.', 'assistant']]) {
    msgs = msgs.concat(indexed(a, prefix, f => ({role: f.role || role, content: text(f.content),
      toolCalls: toolCallsOf(f, 'tool_calls.', 'name', 'arguments', 'id'), toolCallId: f.tool_call_id || null})));
  }
  if (msgs.length) return msgs;

  for (const [prefix, role] of [['llm.input_messages.', 'user'], ['llm.output_messages.', 'assistant']]) {
    msgs = msgs.concat(indexed(a, prefix, f => ({role: f['message.role'] || role, content: text(f['message.content']),
      toolCalls: toolCallsOf(Object.fromEntries(Object.entries(f).map(([k, v]) => [k.replace(/^message\./, ''), v])),
        'tool_calls.', 'tool_call.function.name', 'tool_call.function.arguments', 'tool_call.id'),
      toolCallId: f['message.tool_call_id'] || null})));
  }
  if (msgs.length) return msgs;

  // Older GenAI events (on the span, or as log records linked to it).
  const events = (span.events || []).map(e => ({name: e.name, attrs: e.attributes || {}}))
    .concat((logs || []).filter(l => l.spanId === span.spanId && l.eventName)
      .map(l => ({name: l.eventName, attrs: Object.assign({}, l.attributes, typeof l.body === 'object' && l.body ? l.body : {content: l.body})})));
  for (const e of events) {
    const m = /^gen_ai\.(system|user|assistant|tool)\.message$/.exec(e.name || '');
    if (m) {
      msgs.push({role: e.attrs.role || m[1], content: text(e.attrs.content ?? ''), toolCallId: e.attrs.id || null,
        toolCalls: (parseJson(e.attrs.tool_calls) || []).map(t => ({id: t.id, name: t.function ? t.function.name : t.name,
          arguments: text(t.function ? t.function.arguments : t.arguments)}))});
    } else if (e.name === 'gen_ai.choice') {
      const message = parseJson(e.attrs.message) || e.attrs;
      msgs.push({role: 'assistant', content: text(message.content ?? ''), toolCalls: [], finishReason: e.attrs.finish_reason});
    } else if (e.name === 'gen_ai.content.prompt') {
      const p = e.attrs['gen_ai.prompt'];
      const list = fromGenAiMessages(p, 'user');
      msgs = msgs.concat(list.length ? list : [{role: 'user', content: text(p), toolCalls: []}]);
    } else if (e.name === 'gen_ai.content.completion') {
      const c = e.attrs['gen_ai.completion'];
      const list = fromGenAiMessages(c, 'assistant');
      msgs = msgs.concat(list.length ? list : [{role: 'assistant', content: text(c), toolCalls: []}]);
    }
  }
  if (msgs.length) return msgs;
  // OpenLIT and others: the whole prompt / completion as one attribute.
  if (a['gen_ai.prompt'] !== undefined) msgs.push({role: 'user', content: text(a['gen_ai.prompt']), toolCalls: []});
  if (a['gen_ai.completion'] !== undefined) msgs.push({role: 'assistant', content: text(a['gen_ai.completion']), toolCalls: []});
  return msgs;
}

// Placeholders the PII scrubber writes: <EMAIL>, <PHONE>, <DROPPED:hash>, <SCRUB_FAILED>.
const MARKER = /<(?:[A-Z][A-Z0-9_]{1,30}|DROPPED:[0-9a-f]{4,64})>/g;

/** Text with the PII placeholders marked (as elements holding the placeholder text; the value is never stored). */
export function withMarkers(s) {
  const out = [];
  let last = 0;
  for (const m of s.matchAll(MARKER)) {
    if (m.index > last) out.push(s.slice(last, m.index));
    out.push(h('mark', {class: 'pii', title: 'redacted before storage'}, m[0]));
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push(s.slice(last));
  return out;
}

export function renderConversation(msgs) {
  return h('ol', {class: 'conversation', 'aria-label': 'Conversation'}, msgs.map(m => h('li', {class: 'msg role-' + String(m.role).replace(/[^a-z_]/gi, '')},
    h('div', {class: 'role'}, String(m.role), m.toolCallId ? ' (result of tool call ' + m.toolCallId + ')' : '',
      m.finishReason ? ' — finish: ' + text(m.finishReason) : ''),
    m.content ? h('pre', {class: 'content'}, withMarkers(String(m.content))) : null,
    m.toolCalls && m.toolCalls.length ? h('ul', {class: 'tool-calls'}, m.toolCalls.map(t => h('li', {},
      h('span', {class: 'tool'}, 'tool call ', text(t.name)), t.id ? ' (' + text(t.id) + ')' : '',
      h('pre', {class: 'content'}, withMarkers(text(t.arguments)))))) : null)));
}
