// The only way the console builds DOM: elements with properties, and text nodes for every string. No innerHTML
// anywhere, so span names, attributes, messages and log lines (written by whoever holds an ingest key) stay text.

const SAFE_ATTRS = new Set(['id', 'class', 'for', 'type', 'name', 'value', 'placeholder', 'role', 'tabindex',
  'title', 'href', 'min', 'max', 'step', 'autocomplete', 'spellcheck', 'rows', 'scope', 'colspan', 'readonly',
  'checked', 'disabled', 'required', 'list', 'datetime', 'open']);

/** h('a', {href: '#/traces', class: 'x', onclick: fn, 'aria-label': '…'}, 'text', child, [more]) */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'style' && typeof v === 'object') {
      Object.assign(el.style, v); // CSSOM, allowed by the Content-Security-Policy
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (k === 'href') {
      // Only the console's own routes and relative API paths: never a URL taken from data.
      const s = String(v);
      if (s.startsWith('#') || s.startsWith('/')) el.setAttribute('href', s);
    } else if (k.startsWith('aria-') || SAFE_ATTRS.has(k)) {
      el.setAttribute(k, v === true ? '' : String(v));
    } else {
      throw new Error('attribute not allowed: ' + k);
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** A value of any JSON type as display text. */
export function text(v) {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

const usd = new Intl.NumberFormat('en-US', {style: 'currency', currency: 'USD', minimumFractionDigits: 2,
  maximumFractionDigits: 6});
export function money(v) {
  if (v === undefined || v === null || v === '') return '—';
  const n = Number(v);
  return Math.abs(n) >= 1 ? '$' + n.toFixed(2) : usd.format(n);
}

export function num(v, digits = 0) {
  if (v === undefined || v === null || Number.isNaN(Number(v))) return '—';
  return Number(v).toLocaleString('en-US', {maximumFractionDigits: digits});
}

export function ms(v) {
  if (v === undefined || v === null) return '—';
  const n = Number(v);
  return n >= 1000 ? (n / 1000).toFixed(2) + ' s' : n.toFixed(n < 10 ? 2 : 0) + ' ms';
}

export function pct(v) {
  if (v === undefined || v === null) return '—';
  return (Number(v) * 100).toFixed(2) + ' %';
}

/** A table: columns [{label, value(row) -> node|string, sort(row) -> comparable, num: bool}]. */
export function table(columns, rows, opts = {}) {
  let sortIdx = opts.sortIndex ?? -1;
  let sortDir = opts.sortDir ?? 'descending';
  const tbody = h('tbody');
  const ths = columns.map((c, i) => {
    const th = h('th', {scope: 'col', class: c.num ? 'num' : ''});
    if (opts.sortable && c.sort) {
      const b = h('button', {type: 'button', class: 'sort', onclick: () => {
        sortDir = sortIdx === i && sortDir === 'descending' ? 'ascending' : 'descending';
        sortIdx = i;
        render();
      }}, c.label);
      th.appendChild(b);
    } else {
      th.textContent = c.label;
    }
    return th;
  });
  function render() {
    ths.forEach((th, i) => th.setAttribute('aria-sort', i === sortIdx ? sortDir : 'none'));
    let data = rows.slice();
    if (sortIdx >= 0) {
      const key = columns[sortIdx].sort;
      data.sort((a, b) => {
        const x = key(a), y = key(b);
        const r = x < y ? -1 : x > y ? 1 : 0;
        return sortDir === 'ascending' ? r : -r;
      });
    }
    clear(tbody);
    if (data.length === 0) {
      tbody.appendChild(h('tr', {}, h('td', {colspan: columns.length, class: 'empty'}, opts.empty || 'No data in this range.')));
    }
    for (const r of data) {
      tbody.appendChild(h('tr', {}, columns.map(c => h('td', {class: c.num ? 'num' : ''}, c.value(r)))));
    }
  }
  render();
  return h('table', {class: 'data', 'aria-label': opts.label || null}, h('thead', {}, h('tr', {}, ths)), tbody);
}
