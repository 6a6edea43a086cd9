// The console: hash routes (#/page?from=…&to=…, so a view can be shared), one render function per page, every
// number read from the public REST API with the signed-in key.
import {h, clear, append, text, money, num, ms, pct, table} from './dom.js';
import {api, apiNote, session, ApiError} from './api.js';
import {timeChart, barChart} from './charts.js';
import {conversation, renderConversation, withMarkers} from './conversation.js';
import {waterfall} from './waterfall.js';

const PAGES = [
  ['overview', 'Overview'], ['traces', 'Traces'], ['models', 'Models'], ['users', 'Users'], ['logs', 'Logs'],
  ['alerts', 'Alerts'], ['keys', 'Keys'],
];
const RELATIVE = [['15m', 'Last 15 minutes'], ['1h', 'Last hour'], ['6h', 'Last 6 hours'], ['24h', 'Last 24 hours'],
  ['7d', 'Last 7 days'], ['30d', 'Last 30 days']];

const main = document.getElementById('main');
let generation = 0;

function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query] = hash.split('?');
  const parts = path.split('/').map(decodeURIComponent);
  return {page: parts[0] || 'overview', arg: parts[1] || null, params: new URLSearchParams(query || '')};
}

function go(page, arg, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v) q.set(k, v);
  const s = q.toString();
  location.hash = '#/' + page + (arg ? '/' + encodeURIComponent(arg) : '') + (s ? '?' + s : '');
}

function range(params) {
  return {from: params.get('from') || '24h', to: params.get('to') || ''};
}

/** A range end in epoch seconds (relative like 24h, RFC 3339, or Unix seconds; none is now). */
function epoch(v) {
  if (!v) return Date.now() / 1000;
  const m = /^(\d+)([smhd])$/.exec(v);
  if (m) return Date.now() / 1000 - Number(m[1]) * {s: 1, m: 60, h: 3600, d: 86400}[m[2]];
  if (/^\d+$/.test(v)) return Number(v);
  return Date.parse(v) / 1000;
}

function rangeSeconds(r) {
  return Math.max(60, epoch(r.to) - epoch(r.from));
}

/**
 * Trend bucket for a range: whole hours or more (served from the rollups' histograms) except for ranges up to two
 * hours, whose per-minute buckets read raw rows (at most two hours of calls).
 */
function bucketFor(r) {
  const s = rangeSeconds(r);
  if (s <= 2 * 3600) return '1m';
  if (s <= 3 * 86400) return '1h';
  if (s <= 21 * 86400) return '6h';
  return '1d';
}

function errorBox(e) {
  const what = e instanceof ApiError && e.status
    ? 'The API answered ' + e.status + ': ' + e.message : text(e && e.message ? e.message : e);
  return h('p', {class: 'error', role: 'alert'}, 'Error: ', what);
}

/** A section that loads one API call: title, API note, then the rendered answer or the error. */
function section(title, method, path, params, render, note) {
  const body = h('div', {class: 'section-body', 'aria-busy': 'true'}, h('p', {class: 'muted'}, 'Loading…'));
  const sec = h('section', {class: 'card'}, h('h2', {}, title), apiNote(method, path, params, null, note), body);
  const gen = generation;
  api.get(path, params).then(data => {
    if (gen !== generation) return;
    clear(body);
    append(body, [render(data, body)]);
  }).catch(e => {
    if (gen !== generation) return;
    clear(body).appendChild(errorBox(e));
  }).finally(() => body.setAttribute('aria-busy', 'false'));
  return sec;
}

function rangePicker(r, onChange) {
  const sel = h('select', {id: 'range-preset', 'aria-label': 'Time range'},
    RELATIVE.map(([v, l]) => h('option', {value: v}, l)), h('option', {value: 'abs'}, 'Absolute…'));
  const isRel = !r.to && RELATIVE.some(([v]) => v === r.from);
  sel.value = isRel ? r.from : 'abs';
  const local = v => {
    if (!v) return '';
    const d = /^\d+[smhd]$/.test(v) ? new Date(Date.now() - rangeSeconds({from: v}) * 1000) : new Date(v);
    return isNaN(d) ? '' : new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  };
  const from = h('input', {type: 'datetime-local', id: 'range-from', value: local(r.from)});
  const to = h('input', {type: 'datetime-local', id: 'range-to', value: local(r.to || new Date().toISOString())});
  const abs = h('span', {class: 'abs' + (isRel ? ' hidden' : '')},
    h('label', {for: 'range-from'}, 'From '), from, h('label', {for: 'range-to'}, ' to '), to,
    h('button', {type: 'button', onclick: () => {
      if (from.value && to.value) onChange({from: new Date(from.value).toISOString(), to: new Date(to.value).toISOString()});
    }}, 'Apply'));
  sel.addEventListener('change', () => {
    if (sel.value === 'abs') abs.classList.remove('hidden');
    else onChange({from: sel.value, to: ''});
  });
  return h('div', {class: 'range'}, h('label', {for: 'range-preset'}, 'Range '), sel, abs);
}

function pageHeader(title, r, page, arg, extra) {
  return h('div', {class: 'page-head'}, h('h1', {}, title),
    r ? rangePicker(r, nr => go(page, arg, Object.assign({}, extra || {}, nr))) : null);
}

// ---------------------------------------------------------------- sign-in

function signIn() {
  const key = h('input', {type: 'password', id: 'key', autocomplete: 'off', spellcheck: 'false', required: true});
  const tenant = h('input', {type: 'text', id: 'tenant', autocomplete: 'off', placeholder: 'only with the operator key'});
  const msg = h('div', {role: 'status', 'aria-live': 'polite'});
  const form = h('form', {class: 'card signin', 'aria-labelledby': 'signin-title', onsubmit: async e => {
    e.preventDefault();
    clear(msg);
    try {
      await api.get('/api/v1/spend', null, key.value.trim());
      session.signIn(key.value.trim(), tenant.value.trim());
      key.value = '';
      render();
    } catch (err) {
      session.signOut();
      msg.appendChild(h('p', {class: 'error', id: 'signin-error', role: 'alert'},
        err.status === 401 ? 'That key was not accepted (401): ' + err.message
          : err.status === 403 ? 'That key cannot read this API (403): ' + err.message : 'Sign-in failed: ' + err.message));
    }
  }},
  h('h1', {id: 'signin-title'}, 'Sign in'),
  h('p', {}, 'Paste an API key with the query scope (admin for Keys). ', h('code', {}, './observatory keys default'),
    ' prints one. The key stays in this tab’s session storage and is sent as a Bearer header; no cookie is set.'),
  h('label', {for: 'key'}, 'API key'), key,
  h('label', {for: 'tenant'}, 'Tenant (X-Scope-OrgID, optional)'), tenant,
  h('button', {type: 'submit', id: 'signin-submit'}, 'Sign in'), msg);
  return form;
}

// ---------------------------------------------------------------- overview

function overview(p) {
  const r = range(p);
  const bucket = bucketFor(r);
  const rp = {from: r.from, to: r.to};
  const bounds = [epoch(r.from), epoch(r.to)];
  const grid = h('div', {class: 'grid'});
  append(grid, [
    section('Spend', 'GET', '/api/v1/spend', null, d => {
      const t = d.tenantSpend || {};
      return h('div', {class: 'tiles'}, [['Last hour', t.lastHourUsd, 'spend-1h'], ['Last 24 h', t.last24hUsd, 'spend-24h'],
        ['Last 7 d', t.last7dUsd, 'spend-7d'], ['Last 30 d', t.last30dUsd, 'spend-30d']].map(([l, v, id]) =>
        h('div', {class: 'tile'}, h('div', {class: 'tile-label'}, l), h('div', {class: 'tile-value', id}, money(v)))),
      h('div', {class: 'tile'}, h('div', {class: 'tile-label'}, 'Requests, 30 d'),
        h('div', {class: 'tile-value', id: 'requests-30d'}, num(t.requestsLast30d))));
    }, 'rolling windows ending now'),
    section('Cost by model', 'GET', '/api/v1/costs/by-model', rp, (d, holder) => {
      const models = d.models || [];
      const unpriced = models.filter(m => m.unpricedRequests > 0);
      return [
        h('p', {}, 'Total ', h('strong', {id: 'total-cost'}, money(d.totalCostUsd)), ' over ',
          h('strong', {id: 'total-requests'}, num(models.reduce((a, m) => a + m.requests, 0))), ' requests.'),
        unpriced.length ? h('p', {class: 'warn', id: 'unpriced'}, 'Warning: ',
          num(unpriced.reduce((a, m) => a + m.unpricedRequests, 0)), ' calls have no known price and are not in the cost: ',
          unpriced.map(m => m.model + ' (' + m.unpricedRequests + ')').join(', '), '.') : null,
        barChart('Cost (USD)', models.map(m => m.model || '(unknown)'), models.map(m => Number(m.costUsd)), money, holder),
      ];
    }),
    section('Requests and errors', 'GET', '/api/v1/errors/trend', Object.assign({bucket}, rp), (d, holder) =>
      timeChart('Requests and errors per ' + bucket, d.map(b => Date.parse(b.bucket) / 1000),
        [{label: 'requests', values: d.map(b => b.requests)}, {label: 'errors', values: d.map(b => b.errors)}], holder, bounds)),
    section('Latency', 'GET', '/api/v1/latency/trend', Object.assign({bucket}, rp), (d, holder) =>
      timeChart('Latency per ' + bucket + ' (p50, p95)', d.map(b => Date.parse(b.bucket) / 1000),
        [{label: 'p50', values: d.map(b => b.p50Ms), format: ms}, {label: 'p95', values: d.map(b => b.p95Ms), format: ms}], holder, bounds),
    'percentiles from latency histograms, within 4.4 %'),
  ]);
  return [pageHeader('Overview', r, 'overview'), grid];
}

// ---------------------------------------------------------------- traces

const EXAMPLES = [
  '{ status = error }',
  '{ span.gen_ai.request.model = "gpt-4o" }',
  '{ duration > 2s }',
  '{ resource.service.name = "checkout" && span.gen_ai.usage.output_tokens > 500 }',
  '{ name =~ "chat.*" }',
];

function quote(v) {
  return '"' + v.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

/** The TraceQL the box and filters make together: filters become conditions of the same spanset. */
export function composeQuery(q, f) {
  const conds = [];
  if (f.service) conds.push('resource.service.name = ' + quote(f.service));
  if (f.model) conds.push('span.gen_ai.request.model = ' + quote(f.model));
  if (f.user) conds.push('.user.id = ' + quote(f.user));
  if (f.status) conds.push('status = ' + f.status);
  const base = (q || '').trim();
  if (!conds.length) return base;
  const m = /^\{([\s\S]*)\}$/.exec(base);
  const inner = m ? m[1].trim() : base;
  return '{ ' + (inner ? '(' + inner + ') && ' : '') + conds.join(' && ') + ' }';
}

function traces(p) {
  const r = range(p);
  const q = p.get('q') || '';
  const filters = {service: p.get('service') || '', model: p.get('model') || '', user: p.get('user') || '',
    status: p.get('status') || ''};
  const box = h('textarea', {id: 'traceql', rows: '2', spellcheck: 'false', 'aria-describedby': 'traceql-help traceql-error'}, q);
  box.value = q;
  const inputs = {};
  const filterRow = h('div', {class: 'filters'}, ['service', 'model', 'user'].map(k => {
    inputs[k] = h('input', {type: 'text', id: 'f-' + k, value: filters[k]});
    return h('span', {}, h('label', {for: 'f-' + k}, k + ' '), inputs[k]);
  }), (() => {
    inputs.status = h('select', {id: 'f-status'}, h('option', {value: ''}, 'any'), h('option', {value: 'error'}, 'error'),
      h('option', {value: 'ok'}, 'ok'));
    inputs.status.value = filters.status;
    return h('span', {}, h('label', {for: 'f-status'}, 'status '), inputs.status);
  })());
  const submit = () => go('traces', null, {q: box.value.trim(), service: inputs.service.value.trim(),
    model: inputs.model.value.trim(), user: inputs.user.value.trim(), status: inputs.status.value, from: r.from, to: r.to});
  box.addEventListener('keydown', e => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); submit(); } });
  const form = h('form', {class: 'card search', onsubmit: e => { e.preventDefault(); submit(); }},
    h('label', {for: 'traceql'}, 'TraceQL'), box,
    h('div', {id: 'traceql-help', class: 'examples'}, 'Examples: ', EXAMPLES.map(ex => h('button', {type: 'button', class: 'chip',
      onclick: () => { box.value = ex; box.focus(); }}, ex))),
    filterRow, h('button', {type: 'submit', id: 'search'}, 'Search'));
  const out = [pageHeader('Traces', r, 'traces', null, Object.assign({q}, filters)), form];
  const full = composeQuery(q, filters);
  if (!full) {
    out.push(h('p', {class: 'muted'}, 'Write a TraceQL query (or pick an example, or set a filter) and search.'));
    return out;
  }
  const params = {q: full, from: r.from, to: r.to, limit: 100};
  out.push(h('section', {class: 'card'}, h('h2', {}, 'Results'), apiNote('GET', '/api/v1/traces', params),
    (() => {
      const body = h('div', {'aria-busy': 'true'}, h('p', {class: 'muted'}, 'Searching…'));
      const gen = generation;
      api.get('/api/v1/traces', params).then(list => {
        if (gen !== generation) return;
        clear(body).appendChild(table([
          {label: 'trace', value: t => h('a', {href: '#/trace/' + t.traceId, class: 'trace-link'}, t.traceId)},
          {label: 'root service', value: t => text(t.rootServiceName)},
          {label: 'root span', value: t => text(t.rootTraceName)},
          {label: 'start', value: t => new Date(Number(BigInt(t.startTimeUnixNano) / 1000000n)).toISOString(),
            sort: t => Number(t.startTimeUnixNano)},
          {label: 'duration', num: true, value: t => ms(t.durationMs), sort: t => t.durationMs},
        ], list, {sortable: true, label: 'Traces found', empty: 'No trace matches in this range.'}));
      }).catch(e => {
        if (gen !== generation) return;
        clear(body);
        const col = /at column (\d+)/.exec(e.message || '');
        body.appendChild(h('div', {id: 'traceql-error', role: 'alert', class: 'error'},
          h('p', {}, 'Error: The API answered ', String(e.status), ': ', e.message),
          col ? h('pre', {class: 'caret', 'aria-hidden': 'true'}, full + '\n' + ' '.repeat(Number(col[1]) - 1) + '^') : null));
      }).finally(() => body.setAttribute('aria-busy', 'false'));
      return body;
    })()));
  return out;
}

// ---------------------------------------------------------------- one trace

function kv(obj) {
  const entries = Object.entries(obj || {}).sort(([a], [b]) => a < b ? -1 : 1);
  if (!entries.length) return h('p', {class: 'muted'}, 'none');
  return h('dl', {class: 'kv'}, entries.map(([k, v]) => [h('dt', {}, k), h('dd', {}, withMarkers(text(v)))]));
}

function spanPanel(span, call, logs) {
  const a = span.attributes || {};
  const pii = a['observatory.pii.redactions'];
  const msgs = conversation(span, logs);
  return h('aside', {class: 'card panel', id: 'span-panel', 'aria-label': 'Span ' + (span.name || '')},
    h('h2', {}, span.name || '(unnamed span)'),
    h('dl', {class: 'kv'},
      h('dt', {}, 'service'), h('dd', {}, text(span.serviceName)),
      h('dt', {}, 'span id'), h('dd', {}, span.spanId),
      h('dt', {}, 'parent'), h('dd', {}, text(span.parentSpanId) || '(root)'),
      h('dt', {}, 'kind'), h('dd', {}, text(span.kind)),
      h('dt', {}, 'start'), h('dd', {}, text(span.startTime)),
      h('dt', {}, 'duration'), h('dd', {}, ms(span.durationMs)),
      h('dt', {}, 'status'), h('dd', {class: span.statusCode === 'ERROR' ? 'err-text' : ''},
        text(span.statusCode), span.statusMessage ? ': ' + span.statusMessage : '')),
    pii ? h('p', {class: 'warn', id: 'pii-note'}, 'PII redacted before storage: ', text(pii), ' value(s)',
      a['observatory.pii.types'] ? ' (' + [].concat(a['observatory.pii.types']).map(text).join(', ') + ')' : '', '; marked below, the values were never stored.') : null,
    call ? h('section', {class: 'llm-call'}, h('h3', {}, 'LLM call'),
      h('dl', {class: 'kv'},
        h('dt', {}, 'model'), h('dd', {id: 'call-model'}, text(call.model), call.provider ? ' (' + call.provider + ')' : ''),
        h('dt', {}, 'answered by'), h('dd', {id: 'call-response-model'}, text(call.responseModel) || '— (no answer)'),
        h('dt', {}, 'tokens'), h('dd', {id: 'call-tokens'}, 'input ', num(call.inputTokens), ' · output ', num(call.outputTokens),
          ' · cache read ', num(call.cacheReadTokens), ' · cache write ', num(call.cacheWriteTokens),
          ' · reasoning ', num(call.reasoningTokens)),
        h('dt', {}, 'cost'), h('dd', {id: 'call-cost'}, call.priced ? [money(call.costUsd), ' (input ', money(call.inputCostUsd),
          ', output ', money(call.outputCostUsd), ')'] : 'unpriced'),
        h('dt', {}, 'price from'), h('dd', {id: 'call-price'}, text(call.priceSource)),
        h('dt', {}, 'TTFT'), h('dd', {}, call.ttftMs == null ? '—' : ms(call.ttftMs)),
        h('dt', {}, 'tokens/s'), h('dd', {}, call.tokensPerSecond == null ? '—' : num(call.tokensPerSecond, 1)),
        h('dt', {}, 'finish'), h('dd', {}, (call.finishReasons || []).join(', ') || '—'),
        h('dt', {}, 'user'), h('dd', {}, text(call.user) || '—'))) : null,
    msgs.length ? h('section', {}, h('h3', {}, 'Conversation'), renderConversation(msgs)) : null,
    h('details', {open: !msgs.length}, h('summary', {}, 'Attributes (' + Object.keys(a).length + ')'), kv(a)),
    (span.events || []).length ? h('details', {}, h('summary', {}, 'Events (' + span.events.length + ')'),
      h('ul', {}, span.events.map(e => h('li', {}, text(e.name), kv(e.attributes))))) : null,
    h('details', {}, h('summary', {}, 'Resource'), kv(span.resource)));
}

function trace(id) {
  const out = [h('div', {class: 'page-head'}, h('h1', {}, 'Trace ', h('code', {}, id)),
    h('a', {href: '#/traces'}, '← back to search'))];
  const body = h('div', {class: 'trace-body', 'aria-busy': 'true'}, h('p', {class: 'muted'}, 'Loading…'));
  out.push(apiNote('GET', '/api/v1/traces/' + id, null), apiNote('GET', '/api/v1/traces/' + id + '/calls', null), body);
  const gen = generation;
  Promise.all([api.get('/api/v1/traces/' + id), api.get('/api/v1/traces/' + id + '/calls')]).then(([t, calls]) => {
    if (gen !== generation) return;
    clear(body);
    const byspan = new Map(calls.map(c => [c.spanId, c]));
    const panel = h('div', {class: 'panel-holder'});
    const select = s => { clear(panel).appendChild(spanPanel(s, byspan.get(s.spanId), t.logs)); };
    const errors = t.spans.filter(s => s.statusCode === 'ERROR').length;
    const cost = calls.reduce((a, c) => a + (c.costUsd ? Number(c.costUsd) : 0), 0);
    body.appendChild(h('p', {id: 'trace-summary'}, num(t.spanCount), ' spans, ', num(calls.length), ' LLM calls, ',
      money(cost), ', ', errors ? h('span', {class: 'err-text'}, errors + ' with errors') : 'no errors', '.'));
    if (t.spans.length) {
      body.appendChild(h('div', {class: 'trace-layout'}, waterfall(t.spans, new Set(byspan.keys()), select), panel));
      select(t.spans.find(s => byspan.has(s.spanId)) || t.spans[0]);
    }
    body.appendChild(h('section', {class: 'card'}, h('h2', {}, 'Logs of this trace (' + t.logs.length + ')'),
      table([
        {label: 'time', value: l => text(l.time)},
        {label: 'severity', value: l => text(l.severityText || l.severityNumber)},
        {label: 'service', value: l => text(l.serviceName)},
        {label: 'span', value: l => text(l.spanId)},
        {label: 'event', value: l => text(l.eventName)},
        {label: 'body', value: l => h('span', {class: 'log-body'}, withMarkers(text(l.body)))},
      ], t.logs, {label: 'Logs of the trace', empty: 'No log record is linked to this trace.'})));
  }).catch(e => { if (gen === generation) clear(body).appendChild(errorBox(e)); })
    .finally(() => body.setAttribute('aria-busy', 'false'));
  return out;
}

// ---------------------------------------------------------------- models, users

function models(p) {
  const r = range(p);
  const params = {from: r.from, to: r.to, limit: 1000};
  return [pageHeader('Models', r, 'models'), section('Model comparison', 'GET', '/api/v1/models/compare', params, d =>
    table([
      {label: 'model', value: m => text(m.model), sort: m => m.model || ''},
      {label: 'provider', value: m => text(m.provider), sort: m => m.provider || ''},
      {label: 'requests', num: true, value: m => num(m.requests), sort: m => m.requests},
      {label: 'avg latency', num: true, value: m => ms(m.avgLatencyMs), sort: m => m.avgLatencyMs},
      {label: 'p95 latency', num: true, value: m => ms(m.p95LatencyMs), sort: m => m.p95LatencyMs},
      {label: 'error rate', num: true, value: m => pct(m.errorRate), sort: m => m.errorRate},
      {label: 'cost', num: true, value: m => money(m.costUsd), sort: m => Number(m.costUsd)},
      {label: 'cost / 1k requests', num: true, value: m => money(m.costPer1kRequestsUsd), sort: m => Number(m.costPer1kRequestsUsd)},
      {label: 'tokens/s', num: true, value: m => num(m.avgTokensPerSecond, 1), sort: m => m.avgTokensPerSecond || 0},
    ], d, {sortable: true, sortIndex: 6, label: 'Model comparison'}))];
}

function users(p) {
  const r = range(p);
  const params = {from: r.from, to: r.to, limit: 200};
  const detail = h('div', {class: 'user-detail'});
  const open = u => {
    clear(detail).appendChild(section('Spend of ' + u, 'GET', '/api/v1/spend', {user: u}, d => {
      const s = d.userSpend || {};
      return [h('div', {class: 'tiles'}, [['Last hour', s.lastHourUsd], ['Last 24 h', s.last24hUsd], ['Last 7 d', s.last7dUsd],
        ['Last 30 d', s.last30dUsd]].map(([l, v]) => h('div', {class: 'tile'}, h('div', {class: 'tile-label'}, l),
        h('div', {class: 'tile-value'}, money(v))))),
      h('p', {}, h('a', {href: '#/traces?' + new URLSearchParams({user: u, from: r.from, to: r.to}).toString(), class: 'user-traces'},
        'Traces of ' + u + ' →'))];
    }));
  };
  return [pageHeader('Users', r, 'users'), h('div', {class: 'grid'},
    section('Spend and requests per user', 'GET', '/api/v1/users/activity', params, d => table([
      {label: 'user', value: u => h('button', {type: 'button', class: 'link', onclick: () => open(u.user)}, text(u.user)), sort: u => u.user},
      {label: 'requests', num: true, value: u => num(u.requests), sort: u => u.requests},
      {label: 'tokens', num: true, value: u => num(u.tokens), sort: u => u.tokens},
      {label: 'cost', num: true, value: u => money(u.costUsd), sort: u => Number(u.costUsd)},
    ], d, {sortable: true, sortIndex: 3, label: 'Users'})), detail)];
}

// ---------------------------------------------------------------- logs

function logs(p) {
  const r = range(p);
  const q = p.get('query') || '{service_name=~".+"}';
  const box = h('textarea', {id: 'logql', rows: '2', spellcheck: 'false'});
  box.value = q;
  const form = h('form', {class: 'card search', onsubmit: e => { e.preventDefault(); go('logs', null, {query: box.value.trim(), from: r.from, to: r.to}); }},
    h('label', {for: 'logql'}, 'LogQL'), box,
    h('div', {class: 'examples'}, 'Examples: ', ['{service_name=~".+"} |= "error"', '{severity="error"}',
      'sum by (service_name) (count_over_time({service_name=~".+"}[5m]))'].map(ex => h('button', {type: 'button', class: 'chip',
      onclick: () => { box.value = ex; box.focus(); }}, ex))),
    h('button', {type: 'submit', id: 'logql-run'}, 'Run'));
  const toNs = v => {
    if (!v) return '';
    const m = /^(\d+)([smhd])$/.exec(v);
    const ms0 = m ? Date.now() - Number(m[1]) * {s: 1, m: 60, h: 3600, d: 86400}[m[2]] * 1000 : Date.parse(v);
    return String(Math.floor(ms0 / 1000));
  };
  const params = {query: q, start: toNs(r.from), end: toNs(r.to), limit: 500, direction: 'backward'};
  return [pageHeader('Logs', r, 'logs', null, {query: q}), form,
    section('Results', 'GET', '/loki/api/v1/query_range', params, d => {
      const data = d.data || {};
      if (data.resultType === 'streams') {
        const lines = [];
        for (const s of data.result || []) for (const [ts, line] of s.values || []) lines.push({ts, line, labels: s.stream});
        lines.sort((a, b) => (BigInt(b.ts) > BigInt(a.ts) ? 1 : -1));
        return table([
          {label: 'time', value: l => new Date(Number(BigInt(l.ts) / 1000000n)).toISOString()},
          {label: 'labels', value: l => Object.entries(l.labels || {}).map(([k, v]) => k + '=' + v).join(' ')},
          {label: 'line', value: l => h('span', {class: 'log-body'}, withMarkers(text(l.line)))},
        ], lines, {label: 'Log lines', empty: 'No line matches in this range.'});
      }
      return table([
        {label: 'series', value: s => Object.entries(s.metric || {}).map(([k, v]) => k + '=' + v).join(' ') || '{}'},
        {label: 'points', num: true, value: s => num((s.values || []).length)},
        {label: 'last value', num: true, value: s => { const v = s.values || []; return v.length ? text(v[v.length - 1][1]) : '—'; }},
      ], data.result || [], {label: 'Series'});
    }, 'Loki’s API, served by the query service')];
}

// ---------------------------------------------------------------- alerts

function alerts() {
  const note = 'the alerting service’s API (operator key), read through the query service’s port';
  return [h('div', {class: 'page-head'}, h('h1', {}, 'Alerts')), h('div', {class: 'grid'},
    section('Firing and pending', 'GET', '/api/v1/alerting/alerts', null, d => table([
      {label: 'state', value: a => h('span', {class: 'badge ' + (a.state === 'firing' ? 'err' : 'pending')}, text(a.state).toUpperCase())},
      {label: 'rule', value: a => text(a.rule || (a.labels || {}).alertname)},
      {label: 'labels', value: a => Object.entries(a.labels || {}).map(([k, v]) => k + '=' + v).join(' ')},
      {label: 'value', num: true, value: a => text(a.value)},
      {label: 'active since', value: a => text(a.activeAt)},
      {label: 'summary', value: a => text((a.annotations || {}).summary)},
    ], Array.isArray(d) ? d : (d.alerts || []), {label: 'Alerts', empty: 'Nothing is firing or pending.'}), note),
    section('Rules', 'GET', '/api/v1/alerting/rules', null, d => [
      h('h3', {}, 'Health rules'), table([
        {label: 'name', value: x => text(x.name)}, {label: 'expression', value: x => h('code', {}, text(x.expr))},
        {label: 'for', value: x => text(x.for)}, {label: 'labels', value: x => text(x.labels)}], d.health || [], {label: 'Health rules'}),
      h('h3', {}, 'LLM rules'), table([
        {label: 'name', value: x => text(x.name)}, {label: 'kind', value: x => text(x.kind)},
        {label: 'tenant', value: x => text(x.tenant)}, {label: 'window', value: x => text(x.window)},
        {label: 'threshold', num: true, value: x => text(x.threshold)}, {label: 'for', value: x => text(x.for)}],
      d.llm || [], {label: 'LLM rules'})], note))];
}

// ---------------------------------------------------------------- keys

function keys() {
  const name = h('input', {type: 'text', id: 'key-name', required: true, placeholder: 'e.g. checkout-service'});
  const tenant = h('input', {type: 'text', id: 'key-tenant', placeholder: 'your key’s own tenant', value: session.tenant()});
  const scopes = ['ingest', 'query', 'admin'].map(s => h('input', {type: 'checkbox', id: 'scope-' + s, value: s, checked: s !== 'admin'}));
  const created = h('div', {role: 'status', 'aria-live': 'polite', id: 'key-created'});
  const list = h('div');
  const load = () => {
    clear(list).appendChild(section('Keys', 'GET', '/api/v1/admin/keys', {includeRevoked: 'true'}, d => table([
      {label: 'id', value: k => h('code', {}, k.id)}, {label: 'tenant', value: k => text(k.tenant)},
      {label: 'name', value: k => text(k.name)}, {label: 'scopes', value: k => (k.scopes || []).join(', ')},
      {label: 'created', value: k => text(k.createdAt), sort: k => k.createdAt || ''},
      {label: 'state', value: k => k.revokedAt ? 'revoked ' + k.revokedAt : 'active'},
      {label: '', value: k => k.revokedAt ? '' : h('button', {type: 'button', class: 'danger', 'aria-label': 'Revoke key ' + k.id,
        dataset: {revoke: k.id}, onclick: async () => {
          if (!confirm('Revoke key ' + k.id + ' (' + (k.name || '') + ')? Services using it are refused within 30 s.')) return;
          try { await api.del('/api/v1/admin/keys/' + encodeURIComponent(k.id)); load(); } catch (e) { clear(created).appendChild(errorBox(e)); }
        }}, 'Revoke')},
    ], d, {sortable: true, sortIndex: 4, label: 'API keys'}), 'admin scope; revoke: DELETE /api/v1/admin/keys/{id}'));
  };
  const form = h('form', {class: 'card', onsubmit: async e => {
    e.preventDefault();
    const body = {name: name.value.trim(), scopes: scopes.filter(c => c.checked).map(c => c.value)};
    if (tenant.value.trim()) body.tenant = tenant.value.trim();
    clear(created);
    try {
      const k = await api.post('/api/v1/admin/keys', body);
      const tok = h('input', {type: 'text', readonly: true, id: 'new-token', value: k.token, 'aria-label': 'The new key'});
      created.appendChild(h('div', {class: 'ok'}, h('p', {}, 'Key ', h('code', {}, k.id), ' created for ', text(k.tenant),
        '. Copy it now: it is shown only once.'), tok));
      name.value = '';
      load();
    } catch (err) {
      created.appendChild(errorBox(err));
    }
  }}, h('h2', {}, 'Create a key'), apiNote('POST', '/api/v1/admin/keys', null, {tenant: '…', name: '…', scopes: ['query']}),
  h('label', {for: 'key-name'}, 'Name'), name, h('label', {for: 'key-tenant'}, 'Tenant'), tenant,
  h('fieldset', {}, h('legend', {}, 'Scopes'), scopes.map(c => h('label', {for: c.id, class: 'check'}, c, ' ' + c.value))),
  h('button', {type: 'submit', id: 'key-create'}, 'Create key'), created);
  load();
  return [h('div', {class: 'page-head'}, h('h1', {}, 'Keys')), form, list];
}

// ---------------------------------------------------------------- shell

function nav(current) {
  const el = document.getElementById('nav');
  clear(el).appendChild(h('ul', {}, PAGES.map(([id, label]) => h('li', {},
    h('a', {href: '#/' + id + (['overview', 'traces', 'models', 'users', 'logs'].includes(id) ? keepRange() : ''),
      'aria-current': current === id ? 'page' : null}, label)))));
  const s = document.getElementById('session');
  clear(s);
  if (session.key()) {
    s.appendChild(h('span', {class: 'muted'}, session.tenant() ? 'tenant ' + session.tenant() + ' · ' : '', 'signed in '));
    s.appendChild(h('button', {type: 'button', class: 'link', id: 'signout', onclick: () => { session.signOut(); render(); }}, 'Sign out'));
  }
}

function keepRange() {
  const p = route().params;
  const q = new URLSearchParams();
  if (p.get('from')) q.set('from', p.get('from'));
  if (p.get('to')) q.set('to', p.get('to'));
  const s = q.toString();
  return s ? '?' + s : '';
}

function render() {
  generation++;
  const {page, arg, params} = route();
  clear(main);
  if (!session.key()) {
    nav(null);
    main.appendChild(signIn());
    document.title = 'Sign in · LLM Observatory';
    return;
  }
  nav(page === 'trace' ? 'traces' : page);
  const pages = {overview, traces, models, users, logs, alerts, keys, trace: () => trace(arg)};
  const fn = pages[page] || overview;
  append(main, [fn(params)]);
  const title = (PAGES.find(([id]) => id === page) || ['', page === 'trace' ? 'Trace' : 'Overview'])[1];
  document.title = title + ' · LLM Observatory';
  main.dataset.page = page;
}

window.addEventListener('hashchange', render);
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', render); else render();
