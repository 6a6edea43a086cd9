// A trace as a waterfall: spans in tree order (children under their parent, by start), one bar per span on the
// trace's timeline. Rows are virtualized (only those in view exist), so 10 000 spans scroll like 10.
import {h, clear, ms} from './dom.js';

const ROW = 26;
const OVERSCAN = 10;

/** Spans in depth-first order with their depth; orphans (parent not in the trace) start their own tree. */
export function treeOrder(spans) {
  const ids = new Set(spans.map(s => s.spanId));
  const children = new Map();
  const roots = [];
  for (const s of spans) {
    if (s.parentSpanId && ids.has(s.parentSpanId) && s.parentSpanId !== s.spanId) {
      if (!children.has(s.parentSpanId)) children.set(s.parentSpanId, []);
      children.get(s.parentSpanId).push(s);
    } else {
      roots.push(s);
    }
  }
  const byStart = (a, b) => (a.startTimeUnixNano - b.startTimeUnixNano) || (a.spanId < b.spanId ? -1 : 1);
  const out = [];
  const seen = new Set();
  const stack = roots.sort(byStart).reverse().map(s => [s, 0]);
  while (stack.length) {
    const [s, depth] = stack.pop();
    if (seen.has(s.spanId)) continue;
    seen.add(s.spanId);
    out.push({span: s, depth});
    const kids = (children.get(s.spanId) || []).sort(byStart);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], depth + 1]);
  }
  return out;
}

/**
 * The waterfall element. onSelect(span) opens the side panel; llmSpanIds marks LLM calls. Keyboard: the list is
 * one tab stop; arrows move, Home/End jump, Enter/Space open.
 */
export function waterfall(spans, llmSpanIds, onSelect) {
  const rows = treeOrder(spans);
  const t0 = Math.min(...spans.map(s => s.startTimeUnixNano));
  const t1 = Math.max(...spans.map(s => s.endTimeUnixNano));
  const total = Math.max(1, t1 - t0);
  let active = 0;

  const inner = h('div', {class: 'wf-inner', style: {height: rows.length * ROW + 'px'}});
  const viewport = h('div', {class: 'wf-viewport', role: 'tree', tabindex: '0',
    'aria-label': 'Spans of the trace (' + rows.length + '); arrow keys move, Enter opens a span',
    'aria-activedescendant': 'wf-row-0', style: {height: Math.min(560, rows.length * ROW + 4) + 'px'}}, inner);

  function row(i) {
    const {span: s, depth} = rows[i];
    const error = s.statusCode === 'ERROR';
    const left = ((s.startTimeUnixNano - t0) / total) * 100;
    const w = Math.max(0.2, ((s.endTimeUnixNano - s.startTimeUnixNano) / total) * 100);
    return h('div', {id: 'wf-row-' + i, role: 'treeitem', 'aria-level': depth + 1, 'aria-selected': i === active ? 'true' : 'false',
      class: 'wf-row' + (i === active ? ' active' : '') + (error ? ' error' : ''), dataset: {spanId: s.spanId},
      style: {top: i * ROW + 'px', height: ROW + 'px'},
      onclick: () => { setActive(i); onSelect(s); }},
    h('div', {class: 'wf-name', style: {paddingLeft: (depth * 14 + 4) + 'px'}},
      error ? h('span', {class: 'badge err'}, 'ERROR') : null,
      llmSpanIds.has(s.spanId) ? h('span', {class: 'badge llm'}, 'LLM') : null,
      h('span', {class: 'svc'}, s.serviceName || ''), ' ', s.name || ''),
    h('div', {class: 'wf-track'}, h('div', {class: 'wf-bar' + (error ? ' error' : ''),
      style: {left: left + '%', width: Math.min(w, 100 - left) + '%'}})),
    h('div', {class: 'wf-dur'}, ms(s.durationMs)));
  }

  let drawn = [-1, -1];
  function draw(force) {
    const top = viewport.scrollTop;
    const height = viewport.clientHeight || 500;
    const from = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
    const to = Math.min(rows.length, Math.ceil((top + height) / ROW) + OVERSCAN);
    if (!force && from === drawn[0] && to === drawn[1]) return;
    drawn = [from, to];
    clear(inner);
    for (let i = from; i < to; i++) inner.appendChild(row(i));
  }

  function setActive(i) {
    active = Math.max(0, Math.min(rows.length - 1, i));
    viewport.setAttribute('aria-activedescendant', 'wf-row-' + active);
    const y = active * ROW;
    if (y < viewport.scrollTop) viewport.scrollTop = y;
    else if (y + ROW > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = y + ROW - viewport.clientHeight;
    draw(true);
  }

  viewport.addEventListener('scroll', () => draw(false));
  viewport.addEventListener('keydown', e => {
    const page = Math.max(1, Math.floor(viewport.clientHeight / ROW) - 1);
    const moves = {ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page};
    if (e.key in moves) setActive(active + moves[e.key]);
    else if (e.key === 'Home') setActive(0);
    else if (e.key === 'End') setActive(rows.length - 1);
    else if (e.key === 'Enter' || e.key === ' ') onSelect(rows[active].span);
    else return;
    e.preventDefault();
  });
  const scale = h('div', {class: 'wf-scale'}, h('span', {}, '0'), h('span', {}, ms(total / 2e6)), h('span', {}, ms(total / 1e6)));
  const box = h('div', {class: 'waterfall'}, scale, viewport);
  // Draw once attached (the viewport's height is known then).
  requestAnimationFrame(() => draw(true));
  draw(true);
  return box;
}
