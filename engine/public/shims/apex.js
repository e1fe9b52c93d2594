// Stand-alone stand-in for `@salesforce/apex/<Class>.<method>`: the same method names and parameters as
// force-app/main/default/classes/PmsEngineController.cls, answered by the engine over fetch.
// Each export is callable imperatively (returns a Promise) and usable with @wire (it carries `adapter`).
import { engineFetch, EngineError } from './engine-fetch.js';

const qs = (query) => (query ? `?${String(query).replace(/^\?/, '')}` : '');
const toBase64 = (buf) => {
  let s = '';
  const bytes = new Uint8Array(buf);
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

/** Engine status of a GET without parameters: 404 NOT_FOUND (no such route) means the feature is not there yet. */
async function routeExists(url) {
  const res = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (res.status !== 404) return true;
  const body = await res.json().catch(() => null);
  return !(body?.error?.message || '').startsWith('No route');
}

const METHODS = {
  getCurrentUser: () => engineFetch('GET', '/api/auth/me'),
  getExecutiveSummary: ({ query }) => engineFetch('GET', `/api/dashboard/executive${qs(query)}`),
  getClientAnalytics: ({ query }) => engineFetch('GET', `/api/dashboard/clients${qs(query)}`),
  getCompliance: ({ query }) => engineFetch('GET', `/api/dashboard/compliance${qs(query)}`),
  getClients: ({ query }) => engineFetch('GET', `/api/clients${qs(query)}`),
  getPerformance: ({ query }) => engineFetch('GET', `/api/performance${qs(query)}`),
  getPortfolios: ({ clientId }) => engineFetch('GET', `/api/portfolios/${encodeURIComponent(clientId)}?transactions=20&topHoldings=25`),
  // In an org the record page gives an Account Id. Stand-alone pages carry the engine's client id, or a client code or
  // name typed into the URL (#/client/C000101): found through the same search as the search box, in the caller's scope.
  resolveClientId: async ({ accountId }) => {
    const key = String(accountId || '').trim();
    if (/^\d+$/.test(key)) return Number(key);
    if (/^[\p{L}\p{N}][\p{L}\p{N} .&,-]{0,79}$/u.test(key)) {
      const page = await engineFetch('GET', `/api/clients?${new URLSearchParams({ q: key, pageSize: '10' })}`);
      const items = (page && page.items) || [];
      const lower = key.toLowerCase();
      const hit = items.find((c) => String(c.clientCode).toLowerCase() === lower) || items.find((c) => String(c.name).toLowerCase() === lower) || (items.length === 1 ? items[0] : null);
      if (hit) return hit.id;
    }
    throw new EngineError(404, { error: { code: 'NOT_FOUND', message: 'No client is linked to this record' } });
  },
  listViews: () => engineFetch('GET', '/api/views'),
  getView: ({ viewId }) => engineFetch('GET', `/api/views/${encodeURIComponent(viewId)}`),
  saveView: ({ viewJson }) => engineFetch('POST', '/api/views/save', JSON.parse(viewJson)),
  deleteView: ({ viewId }) => engineFetch('DELETE', `/api/views/${encodeURIComponent(viewId)}`),
  getExportAvailability: async () => {
    const [pdf, xlsx] = await Promise.all([routeExists('/api/export/pdf'), routeExists('/api/export/xlsx')]);
    return { pdf, xlsx };
  },
  exportFile: async ({ format, query }) => {
    const res = await fetch(`/api/export/${format}${qs(query)}`, { credentials: 'same-origin' });
    if (!res.ok) throw new EngineError(res.status, await res.json().catch(() => null));
    const disposition = res.headers.get('content-disposition') || '';
    const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
    return {
      fileName: name ? decodeURIComponent(name) : `pms-export.${format}`,
      contentType: res.headers.get('content-type') || 'application/octet-stream',
      base64Body: toBase64(await res.arrayBuffer()),
    };
  },
};

const REFRESH = Symbol('refreshApex');

/** `refreshApex` of '@salesforce/apex': refetches a wired result this adapter emitted. */
export function refreshApex(value) {
  return value && typeof value[REFRESH] === 'function' ? value[REFRESH]() : Promise.resolve();
}

/** A wire adapter that calls `fn` with the wire's config and emits { data, error } like Apex wires do. */
function wireAdapterFor(fn) {
  return class ApexWireAdapter {
    constructor(callback) {
      this.callback = callback;
      this.connected = false;
      this.config = undefined;
      this.seq = 0;
    }
    connect() {
      this.connected = true;
      if (this.config) this.fetch();
    }
    disconnect() {
      this.connected = false;
    }
    update(config) {
      this.config = config;
      if (this.connected) this.fetch();
    }
    fetch() {
      // Apex wires skip a call while a reactive parameter is still undefined.
      if (!this.config || Object.values(this.config).some((v) => v === undefined)) return Promise.resolve();
      const seq = ++this.seq;
      return fn(this.config).then(
        (data) => seq === this.seq && this.emit({ data, error: undefined }),
        (error) => seq === this.seq && this.emit({ data: undefined, error }),
      );
    }
    emit(value) {
      // refreshApex(value) refetches with the same config; the old value stays on screen until the new one arrives.
      Object.defineProperty(value, REFRESH, { value: () => this.fetch(), enumerable: false });
      this.callback(value);
    }
  };
}

export function apexMethod(className, method) {
  const impl = METHODS[method];
  const fn = (params = {}) =>
    impl ? impl(params) : Promise.reject(new EngineError(501, { error: { code: 'NOT_AVAILABLE', message: `${className}.${method} has no stand-alone adapter` } }));
  fn.adapter = wireAdapterFor(fn);
  return fn;
}
