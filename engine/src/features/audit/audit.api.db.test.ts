import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { importDeps, importOkBook } from '../imports/test-helpers.js';

// Fixture book: RM001 Anjali manages RM002 Rohit (C000101 Aarav, C000103 Vikram) and RM003 Kavita (C000102 Meera, C000104 Zoë).
let t: TestApp;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (r: Response): Promise<any> => r.json();
const PW = 'correct horse battery staple';
const ids: Record<string, number> = {};
type Session = Awaited<ReturnType<TestApp['login']>>;
let rohit: Session, kavita: Session, anjali: Session, compliance: Session;
const lastAudit = async (action: string) => (await t.db.sql`select * from audit_log where action = ${action} order by id desc limit 1`)[0];

beforeAll(async () => {
  t = await createTestApp();
  await importOkBook(await importDeps(t.db));
  for (const r of await t.db.sql<{ client_code: string; id: number }[]>`select client_code, id from clients`) ids[r.client_code] = r.id;
  await t.createUser({ email: 'rohit@pms.test', role: 'rm', rmCode: 'RM002', password: PW });
  await t.createUser({ email: 'kavita@pms.test', role: 'rm', rmCode: 'RM003', password: PW });
  await t.createUser({ email: 'anjali@pms.test', role: 'rm', rmCode: 'RM001', password: PW });
  await t.createUser({ email: 'compliance@pms.test', role: 'compliance', password: PW });
  [rohit, kavita, anjali, compliance] = (await Promise.all(['rohit', 'kavita', 'anjali', 'compliance'].map((u) => t.login(`${u}@pms.test`, PW)))) as [Session, Session, Session, Session];
});
afterAll(() => t?.close());

const save = (s: Session, body: object) => t.app.request('/api/views/save', { method: 'POST', headers: { ...s.headers(), 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('saved views', () => {
  it('re-applies a shared view\'s filters under the reader\'s scope, and hides private views', async () => {
    const shared = await json(await save(kavita, { name: 'Meera', page: 'clients', filters: { q: 'Meera' }, sort: { sort: 'aum', order: 'desc' }, columns: ['name', 'aum'], visibility: 'team' }));
    expect(shared).toMatchObject({ name: 'Meera', visibility: 'team', filters: { q: 'Meera' }, sort: { sort: 'aum', order: 'desc' } });
    const priv = await json(await save(kavita, { name: 'Mine', page: 'clients', filters: { rm: 'RM003' } }));
    expect(priv.visibility).toBe('private');

    // Rohit is in Kavita's team (both report to RM001): he sees the view, but not her client through it.
    const list = await json(await t.app.request('/api/views', { headers: rohit.headers(false) }));
    expect(list.items.map((v: { name: string }) => v.name)).toEqual(['Meera']);
    const asRohit = await json(await t.app.request(`/api/views/${shared.id}`, { headers: rohit.headers(false) }));
    expect(asRohit.result).toEqual({ items: [], total: 0 });
    expect(await lastAudit('views.read')).toMatchObject({ client_ids: [], actor_role: 'rm' });
    const asKavita = await json(await t.app.request(`/api/views/${shared.id}`, { headers: kavita.headers(false) }));
    expect(asKavita.result.items.map((i: { clientCode: string }) => i.clientCode)).toEqual(['C000102']);
    const asAnjali = await json(await t.app.request(`/api/views/${shared.id}`, { headers: anjali.headers(false) }));
    expect(asAnjali.result.total).toBe(1);

    const hidden = await t.app.request(`/api/views/${priv.id}`, { headers: rohit.headers(false) });
    expect(hidden.status).toBe(404);
    expect(await lastAudit('access.denied')).toMatchObject({ resource: `view:${priv.id}`, actor_role: 'rm' });
    expect((await t.app.request(`/api/views/${shared.id}`, { method: 'DELETE', headers: rohit.headers() })).status).toBe(404);
    expect((await t.app.request(`/api/views/${shared.id}`, { method: 'DELETE', headers: kavita.headers(false) })).status).toBe(403); // CSRF
    expect((await t.app.request(`/api/views/${shared.id}`, { method: 'DELETE', headers: kavita.headers() })).status).toBe(204);
    expect((await t.app.request(`/api/views/${shared.id}`, { headers: kavita.headers(false) })).status).toBe(404);
  });

  it('refuses filters the list would refuse, and service keys without a user', async () => {
    expect((await save(kavita, { name: 'x', page: 'clients', filters: { q: "' or 1=1 --" } })).status).toBe(400);
    expect((await save(kavita, { name: 'x', page: 'clients', sort: { sort: 'name; drop table users', order: 'asc' } })).status).toBe(400);
    expect((await save(kavita, { name: 'x', page: 'clients', filters: { rawSql: 'true' } })).status).toBe(400);
    const res = await t.app.request('/api/views/save', { method: 'POST', headers: { ...t.auth(), 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', page: 'clients' }) });
    expect(res.status).toBe(403);
    expect((await json(res)).error.code).toBe('USER_REQUIRED');
  });
});

describe('GET /api/audit', () => {
  it('lets compliance read the trail, filtered by action, client, user and date; RMs may not', async () => {
    await t.app.request(`/api/clients/${ids.C000101}`, { headers: kavita.headers(false) }); // denied, audited
    const denied = await json(await t.app.request('/api/audit?action=access.denied', { headers: compliance.headers(false) }));
    expect(denied.total).toBeGreaterThanOrEqual(2);
    expect(denied.items.every((e: { action: string }) => e.action === 'access.denied')).toBe(true);

    const [kavitaUser] = await t.db.sql`select id from users where email = 'kavita@pms.test'`;
    const byClient = await json(await t.app.request(`/api/audit?client=${ids.C000101}&user=${kavitaUser!.id}`, { headers: compliance.headers(false) }));
    expect(byClient.items[0]).toMatchObject({ actor: `user:${kavitaUser!.id}`, actorRole: 'rm', action: 'access.denied', clientIds: [ids.C000101], resource: 'clients.get' });
    expect(byClient.items.every((e: { clientIds: number[] }) => e.clientIds.includes(ids.C000101!))).toBe(true);

    const prefix = await json(await t.app.request('/api/audit?action=views.&pageSize=100', { headers: compliance.headers(false) }));
    expect(new Set(prefix.items.map((e: { action: string }) => e.action))).toEqual(new Set(['views.save', 'views.read', 'views.delete']));
    const future = await json(await t.app.request('/api/audit?from=2999-01-01', { headers: compliance.headers(false) }));
    expect(future).toEqual({ items: [], total: 0 });
    expect(await lastAudit('audit.read')).toMatchObject({ actor_role: 'compliance' });

    expect((await t.app.request('/api/audit', { headers: rohit.headers(false) })).status).toBe(403);
    expect((await t.app.request('/api/audit', { headers: t.auth(await t.keyWith(['read'])) })).status).toBe(403);
    for (const bad of ["clients.read' or '1'='1", 'x;drop', '1=1']) expect((await t.app.request(`/api/audit?action=${encodeURIComponent(bad)}`, { headers: compliance.headers(false) })).status).toBe(400);
    expect((await t.app.request('/api/audit?client=1%20or%201=1', { headers: compliance.headers(false) })).status).toBe(400);
  });

  it('cannot be changed: UPDATE, DELETE and TRUNCATE fail', async () => {
    await expect(t.db.sql`update audit_log set actor = 'someone else'`).rejects.toThrow(/append-only/);
    await expect(t.db.sql`delete from audit_log`).rejects.toThrow(/append-only/);
    await expect(t.db.sql`truncate audit_log`).rejects.toThrow(/append-only/);
    const [n] = await t.db.sql`select count(*)::int as n from audit_log where actor = 'someone else'`;
    expect(n!.n).toBe(0);
  });
});

describe('rate limit', () => {
  it('answers 429 in the error format once a caller spends their budget, per caller', async () => {
    const app = createApp({ ...t.deps, env: { ...t.deps.env, RATE_LIMIT_PER_MINUTE: 2 } });
    const other = t.auth(await t.keyWith(['read']));
    expect((await app.request('/api/auth/me', { headers: t.auth() })).status).toBe(200);
    expect((await app.request('/api/auth/me', { headers: t.auth() })).status).toBe(200);
    const limited = await app.request('/api/auth/me', { headers: t.auth() });
    expect(limited.status).toBe(429);
    expect(await json(limited)).toEqual({ error: { code: 'RATE_LIMITED', message: expect.stringMatching(/limit 2 a minute/) } });
    expect(Number(limited.headers.get('retry-after'))).toBe(30);
    expect((await app.request('/api/auth/me', { headers: other })).status).toBe(200);
  });
});
