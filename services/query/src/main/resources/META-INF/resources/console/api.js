// The public REST API, called with the signed-in key as a Bearer header. The key lives in session storage only
// (gone when the tab closes), never in a URL, a cookie or a log line.
import {h} from './dom.js';

const KEY = 'observatory.key';
const TENANT = 'observatory.tenant';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  tenant: () => sessionStorage.getItem(TENANT) || '',
  signIn(key, tenant) {
    sessionStorage.setItem(KEY, key);
    if (tenant) sessionStorage.setItem(TENANT, tenant); else sessionStorage.removeItem(TENANT);
  },
  signOut() {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(TENANT);
  },
};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function url(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? path + '?' + s : path;
}

function headers(extra) {
  const hd = Object.assign({Accept: 'application/json'}, extra || {});
  const key = session.key();
  if (key) hd.Authorization = 'Bearer ' + key;
  if (session.tenant()) hd['X-Scope-OrgID'] = session.tenant();
  return hd;
}

async function send(method, path, params, body, key) {
  const hd = headers(body ? {'Content-Type': 'application/json'} : {});
  if (key) hd.Authorization = 'Bearer ' + key;
  let res;
  try {
    res = await fetch(url(path, params), {method, headers: hd, body: body ? JSON.stringify(body) : undefined,
      credentials: 'omit', cache: 'no-store'});
  } catch (e) {
    throw new ApiError(0, 'the query service did not answer (' + e.message + ')');
  }
  const txt = await res.text();
  let json = null;
  try { json = txt ? JSON.parse(txt) : null; } catch (e) { json = null; }
  if (!res.ok) {
    throw new ApiError(res.status, (json && json.message) || res.statusText || ('HTTP ' + res.status));
  }
  return json;
}

export const api = {
  get: (path, params, key) => send('GET', path, params, null, key),
  post: (path, body) => send('POST', path, null, body),
  del: (path) => send('DELETE', path, null, null),
};

function shellQuote(s) {
  return "'" + s.replace(/'/g, "'\\''") + "'";
}

/** The request as a curl command with $OBSERVATORY_KEY in place of the key (which is never shown). */
export function curl(method, path, params, body) {
  const origin = location.origin;
  let c = 'curl -s';
  if (method !== 'GET') c += ' -X ' + method;
  c += ' -H "Authorization: Bearer $OBSERVATORY_KEY"';
  if (session.tenant()) c += ' -H ' + shellQuote('X-Scope-OrgID: ' + session.tenant());
  if (body) c += " -H 'Content-Type: application/json' -d " + shellQuote(JSON.stringify(body));
  return c + ' ' + shellQuote(origin + url(path, params));
}

/** "GET /api/v1/…" with a copy-as-curl button: every page names the API call behind its numbers. */
export function apiNote(method, path, params, body, note) {
  const command = curl(method, path, params, body);
  const status = h('span', {class: 'copied', role: 'status'});
  return h('div', {class: 'api-note'},
    h('span', {class: 'api-label'}, 'API'), ' ',
    h('code', {class: 'api-call', title: command}, method + ' ' + url(path, params)),
    ' ',
    h('button', {type: 'button', class: 'link', onclick: async () => {
      try {
        await navigator.clipboard.writeText(command);
        status.textContent = 'copied';
      } catch (e) {
        status.textContent = command;
      }
    }}, 'copy as curl'),
    note ? h('span', {class: 'muted'}, ' ', note) : null,
    ' ', status);
}
