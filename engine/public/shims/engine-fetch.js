// fetch to the engine with the session cookie and the CSRF header (stand-alone only).

/** The CSRF token the engine set at sign-in (cookie pms_csrf, readable by the page). */
export function csrfToken() {
  const m = /(?:^|;\s*)pms_csrf=([^;]+)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]) : '';
}

/** An error shaped like the one Apex raises in an org ({ body: { message }, status }), so reduceErrors reads both. */
export class EngineError extends Error {
  constructor(status, body) {
    const message = body?.error?.message || `The engine answered ${status}`;
    super(message);
    this.status = status;
    this.body = { message, code: body?.error?.code, details: body?.error?.details };
  }
}

/** Calls the engine; resolves to parsed JSON (or null for 204), rejects with EngineError. */
export async function engineFetch(method, url, body) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') headers['x-csrf-token'] = csrfToken();
  let res;
  try {
    res = await fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new EngineError(0, { error: { code: 'NETWORK', message: `The engine cannot be reached (${e.message})` } });
  }
  if (res.status === 401 && !url.startsWith('/api/auth/')) window.dispatchEvent(new CustomEvent('pms:signed-out'));
  if (res.status === 204) return null;
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) throw new EngineError(res.status, json);
  return json;
}
