import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { importDeps, importOkBook } from '../imports/test-helpers.js';
import { createApiKey } from './api-keys.js';

// Fixture book (imports/fixtures/ok): RM001 Anjali manages RM002 Rohit and RM003 Kavita.
// Rohit: C000101 Aarav Kapoor, C000103 Vikram Singh Rathore. Kavita: C000102 Meera Nair, C000104 Zoë D’Souza.
let t: TestApp;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (r: Response): Promise<any> => r.json();
const PW = 'correct horse battery staple';
const SF_ROHIT = '005000000000001AAA';
const SF_KAVITA = '005000000000002AAA';
const ids: Record<string, number> = {};
let rmIds: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestApp();
  await importOkBook(await importDeps(t.db));
  for (const r of await t.db.sql<{ client_code: string; id: number }[]>`select client_code, id from clients`) ids[r.client_code] = r.id;
  rmIds = Object.fromEntries((await t.db.sql<{ rm_code: string; id: number }[]>`select rm_code, id from relationship_managers`).map((r) => [r.rm_code, r.id]));
  await t.createUser({ email: 'rohit@pms.test', role: 'rm', rmCode: 'RM002', salesforceUserId: SF_ROHIT, password: PW });
  await t.createUser({ email: 'kavita@pms.test', role: 'rm', rmCode: 'RM003', salesforceUserId: SF_KAVITA, password: PW });
  await t.createUser({ email: 'anjali@pms.test', role: 'rm', rmCode: 'RM001', password: PW });
  await t.createUser({ email: 'compliance@pms.test', role: 'compliance', password: PW });
  await t.createUser({ email: 'cio@pms.test', role: 'management', password: PW });
});
afterAll(() => t?.close());

const codes = (body: { items: { clientCode: string }[] }) => body.items.map((i) => i.clientCode).sort();
const lastAudit = async (action: string) => (await t.db.sql`select * from audit_log where action = ${action} order by id desc limit 1`)[0];

describe('POST /api/users', () => {
  it('creates users for admins only, with an RM link for RMs and unique e-mail / Salesforce Id', async () => {
    const post = (body: object, headers: Record<string, string> = t.auth()) =>
      t.app.request('/api/users', { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ email: 'x@pms.test', name: 'X', role: 'rm' })).status).toBe(400); // rm without rmCode
    expect((await json(await post({ email: 'x@pms.test', name: 'X', role: 'rm', rmCode: 'RM999' }))).error.code).toBe('UNKNOWN_RM');
    expect((await post({ email: 'ROHIT@pms.test', name: 'Dup', role: 'management' })).status).toBe(409);
    expect((await post({ email: 'y@pms.test', name: 'Y', role: 'management', salesforceUserId: SF_ROHIT })).status).toBe(409);
    expect((await post({ email: 'z@pms.test', name: 'Z', role: 'admin', password: 'short' })).status).toBe(400);
    expect((await post({ email: 'z@pms.test', name: 'Z', role: 'admin' }, t.auth(await t.keyWith(['read'])))).status).toBe(403);
    const rohit = await t.login('rohit@pms.test', PW);
    expect((await post({ email: 'z@pms.test', name: 'Z', role: 'admin' }, rohit.headers())).status).toBe(403);
    const users = await json(await t.app.request('/api/users', { headers: t.auth() }));
    expect(users.items.find((u: { email: string }) => u.email === 'rohit@pms.test')).toMatchObject({ role: 'rm', rmId: rmIds.RM002, salesforceUserId: SF_ROHIT, active: true });
    expect(JSON.stringify(users)).not.toMatch(/scrypt/);
    expect((await t.app.request('/api/users', { headers: rohit.headers(false) })).status).toBe(403);
    expect(await lastAudit('users.create')).toMatchObject({ actor: expect.stringMatching(/^key:\d+$/), actor_role: 'service' });
    const [row] = await t.db.sql`select password_hash from users where email = 'rohit@pms.test'`;
    expect(row!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(row!.password_hash).not.toContain(PW);
  });
});

describe('sessions', () => {
  it('signs in with an HttpOnly SameSite=Strict cookie, stores only hashes, and scopes the user to their book', async () => {
    const res = await t.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'Rohit@PMS.test', password: PW }) });
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('pms_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(cookies.find((c) => c.startsWith('pms_csrf='))).not.toMatch(/HttpOnly/);
    const sessionId = session.split(';')[0]!.split('=')[1]!;
    const stored = await t.db.sql`select id_hash, csrf_hash from sessions`;
    expect(stored.some((s) => s.id_hash === sessionId || s.csrf_hash === sessionId)).toBe(false);
    const me = await json(await t.app.request('/api/auth/me', { headers: { cookie: `pms_session=${sessionId}` } }));
    expect(me).toMatchObject({ kind: 'session', role: 'rm', seePii: false, clientScope: { all: false, rmIds: [rmIds.RM002] } });
  });

  it('answers 401 for a tampered, an expired and a signed-out session', async () => {
    const s = await t.login('kavita@pms.test', PW);
    expect((await t.app.request('/api/clients', { headers: s.headers(false) })).status).toBe(200);
    const tampered = s.cookie.replace(/pms_session=([^;]{5})/, 'pms_session=AAAAA');
    const r1 = await t.app.request('/api/clients', { headers: { cookie: tampered } });
    expect(r1.status).toBe(401);
    expect((await json(r1)).error.code).toBe('SESSION_INVALID');

    const s2 = await t.login('kavita@pms.test', PW);
    await t.db.sql`update sessions set expires_at = now() - interval '1 second' where user_id = (select id from users where email = 'kavita@pms.test')`;
    expect((await t.app.request('/api/clients', { headers: s2.headers(false) })).status).toBe(401);

    const s3 = await t.login('kavita@pms.test', PW);
    expect((await t.app.request('/api/auth/logout', { method: 'POST', headers: s3.headers() })).status).toBe(204);
    expect((await t.app.request('/api/clients', { headers: s3.headers(false) })).status).toBe(401);
  });

  it('refuses unsafe methods without the CSRF token and audits it', async () => {
    const s = await t.login('anjali@pms.test', PW);
    const none = await t.app.request('/api/auth/logout', { method: 'POST', headers: s.headers(false) });
    expect(none.status).toBe(403);
    expect((await json(none)).error.code).toBe('CSRF_FAILED');
    const wrong = await t.app.request('/api/auth/logout', { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': 'forged' } });
    expect(wrong.status).toBe(403);
    expect(await lastAudit('auth.csrf_rejected')).toMatchObject({ actor: expect.stringMatching(/^user:\d+$/), actor_role: 'rm' });
    expect((await t.app.request('/api/clients', { headers: s.headers(false) })).status).toBe(200); // still signed in
  });

  it('answers the same 401 for a wrong password and an unknown e-mail, and locks after 5 failures', async () => {
    await t.createUser({ email: 'victim@pms.test', role: 'management', password: PW });
    const attempt = (email: string, password: string) =>
      t.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    const unknown = await attempt('nobody@pms.test', PW);
    expect(unknown.status).toBe(401);
    for (let i = 0; i < 5; i++) {
      const r = await attempt('victim@pms.test', 'wrong password');
      expect(r.status).toBe(401);
      expect(await json(r)).toEqual(await json(await attempt('nobody@pms.test', 'x')));
    }
    const locked = await attempt('victim@pms.test', PW); // right password, but locked
    expect(locked.status).toBe(429);
    expect((await json(locked)).error.code).toBe('LOGIN_LOCKED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(50); // 1 minute after the 5th failure
    await t.db.sql`update users set locked_until = now() - interval '1 second' where email = 'victim@pms.test'`;
    expect((await attempt('victim@pms.test', PW)).status).toBe(200);
    const [u] = await t.db.sql`select failed_logins, locked_until from users where email = 'victim@pms.test'`;
    expect(u).toEqual({ failed_logins: 0, locked_until: null });
  });
});

describe('client scope on every path', () => {
  it('shows an RM only their clients, a manager their reportees\', firm-wide roles all', async () => {
    const list = async (email: string) => json(await t.app.request('/api/clients', { headers: (await t.login(email, PW)).headers(false) }));
    const rohit = await list('rohit@pms.test');
    expect(codes(rohit)).toEqual(['C000101', 'C000103']);
    expect(rohit.total).toBe(2);
    expect(rohit.items.map((i: { pan: string }) => i.pan)).toEqual(['XXXXX1234X', 'XXXXX3456X']);
    expect(codes(await list('kavita@pms.test'))).toEqual(['C000102', 'C000104']);
    expect(codes(await list('anjali@pms.test'))).toEqual(['C000101', 'C000102', 'C000103', 'C000104']);
    const compliance = await list('compliance@pms.test');
    expect(compliance.items.find((i: { clientCode: string }) => i.clientCode === 'C000101').pan).toBe('ABCPK1234F');
    const cio = await list('cio@pms.test');
    expect(cio.total).toBe(4);
    expect(cio.items.find((i: { clientCode: string }) => i.clientCode === 'C000101').pan).toBe('XXXXX1234X');
  });

  it('keeps scopes apart when results are cached', async () => {
    const app = createApp({ ...t.deps, env: { ...t.deps.env, RESULT_CACHE_SECONDS: 60 } });
    const list = async (email: string) => json(await app.request('/api/clients?sort=clientCode', { headers: (await t.login(email, PW)).headers(false) }));
    expect(codes(await list('anjali@pms.test'))).toEqual(['C000101', 'C000102', 'C000103', 'C000104']);
    expect(codes(await list('rohit@pms.test'))).toEqual(['C000101', 'C000103']);
    expect(codes(await list('kavita@pms.test'))).toEqual(['C000102', 'C000104']);
    const before = (await t.db.sql`select count(*)::int as n from audit_log where action = 'clients.list'`)[0]!.n;
    await list('rohit@pms.test'); // served from the cache, audited all the same
    expect((await t.db.sql`select count(*)::int as n from audit_log where action = 'clients.list'`)[0]!.n).toBe(before + 1);
  });

  it('answers 404 for another RM\'s client by id and audits the attempt', async () => {
    const kavita = await t.login('kavita@pms.test', PW);
    const res = await t.app.request(`/api/clients/${ids.C000101}`, { headers: kavita.headers(false) });
    expect(res.status).toBe(404);
    expect(await lastAudit('access.denied')).toMatchObject({ client_ids: [ids.C000101], actor_role: 'rm', details: expect.objectContaining({ route: 'clients.get', existing: [ids.C000101] }) });
    const own = await t.app.request(`/api/clients/${ids.C000102}`, { headers: kavita.headers(false) });
    expect(own.status).toBe(200);
    expect(await json(own)).toMatchObject({ clientCode: 'C000102', pan: 'XXXXX2345X', portfolios: [{ portfolioCode: 'WS0000102', strategy: { code: 'DBT' } }] });
    expect(await lastAudit('clients.read')).toMatchObject({ client_ids: [ids.C000102] });
  });

  it('finds nothing of another RM\'s book by search, name, code or PAN', async () => {
    const kavita = (await t.login('kavita@pms.test', PW)).headers(false);
    for (const q of ['Aarav', 'C000101', 'ABCPK1234F', 'Rathore']) {
      const body = await json(await t.app.request(`/api/clients?q=${encodeURIComponent(q)}`, { headers: kavita }));
      expect(body, q).toEqual({ items: [], total: 0 });
    }
  });

  it('acts for the Salesforce user named in the header, within that user\'s scope', async () => {
    const { key } = await createApiKey(t.db.sql, { name: 'salesforce', scopes: ['act-for-user'] });
    const as = (sfId: string, k = key) => ({ ...t.auth(k), 'x-acting-user-sf-id': sfId });
    const rohit = await json(await t.app.request('/api/clients', { headers: as(SF_ROHIT) }));
    expect(codes(rohit)).toEqual(['C000101', 'C000103']);
    expect((await lastAudit('clients.list'))!.actor).toMatch(/^user:\d+ via key:\d+$/);
    const other = await t.app.request(`/api/clients/${ids.C000101}`, { headers: as(SF_KAVITA) });
    expect(other.status).toBe(404);
    expect((await lastAudit('access.denied'))!.actor).toMatch(/via key/);

    const unknown = await t.app.request('/api/clients', { headers: as('005000000000999AAA') });
    expect(unknown.status).toBe(403);
    expect(await lastAudit('auth.acting_for_denied')).toMatchObject({ details: expect.objectContaining({ reason: 'unknown-user' }) });
    const readKey = await t.keyWith(['read']);
    expect((await t.app.request('/api/clients', { headers: as(SF_ROHIT, readKey) })).status).toBe(403);
    expect(await lastAudit('auth.acting_for_denied')).toMatchObject({ details: expect.objectContaining({ reason: 'scope' }) });
    // The key alone (no header) reads nothing: act-for-user is not read.
    expect((await t.app.request('/api/clients', { headers: t.auth(key) })).status).toBe(403);
  });
});
