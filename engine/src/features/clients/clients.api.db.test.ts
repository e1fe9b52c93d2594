import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { importDeps, importOkBook } from '../imports/test-helpers.js';

// Fixture book (imports/fixtures/ok): C000101 Aarav Kapoor (RM002, Mumbai, 2021-04-15, LCE + MSC, AUM 9987310.25),
// C000102 Meera Nair (RM003, Kochi, 2021-07-02, DBT), C000103 Vikram Singh Rathore (RM002, Jaipur, 2022-01-10, HYB, Closed),
// C000104 Zoë D’Souza (RM003, 2023-03-01, no portfolio).
let t: TestApp;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (r: Response): Promise<any> => r.json();
const ids: Record<string, number> = {};
const get = async (query: string, headers = t.auth()) => {
  const res = await t.app.request(`/api/clients?${query}`, { headers });
  return { status: res.status, body: await json(res) };
};
const codes = async (query: string) => {
  const r = await get(query);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.items.map((i: { clientCode: string }) => i.clientCode);
};

beforeAll(async () => {
  t = await createTestApp();
  await importOkBook(await importDeps(t.db));
  for (const r of await t.db.sql<{ client_code: string; id: number }[]>`select client_code, id from clients`) ids[r.client_code] = r.id;
  // Client metrics as the analytics worker would store them (1Y): returns chosen to make the filters discriminate.
  await t.db.sql`insert into analytics_methods (method) values ('test')`;
  for (const [code, ret, ann, xirr] of [['C000101', 0.18, 0.18, 0.2], ['C000102', 0.07, 0.07, 0.071], ['C000103', -0.02, -0.02, null]] as const) {
    await t.db.sql`
      insert into analytics_metrics_stored (entity_type, entity_id, period, as_of, from_date, to_date, days, twrr, twrr_annualized, reported_return, xirr, method_id)
      values ('client', ${ids[code]!}, '1Y', '2022-04-19', '2021-04-19', '2022-04-19', 365, ${ret}, ${ann}, ${ret}, ${xirr}, (select id from analytics_methods where method = 'test'))`;
  }
});
afterAll(() => t?.close());

describe('GET /api/clients filters', () => {
  it.each([
    ['year=2021', ['C000101', 'C000102']],
    ['status=Closed', ['C000103']],
    ['city=mumbai', ['C000101']],
    ['state=Kerala', ['C000102']],
    ['rm=RM003', ['C000102', 'C000104']],
    ['riskProfile=Moderate', ['C000102']],
    ['strategy=DBT', ['C000102']],
    ['sebiCategory=Hybrid', ['C000103']],
    ['aumMin=9000000', ['C000101']],
    ['aumMin=7570112.40&aumMax=7570112.40', ['C000102']], // WS0000102 latest 05/07/2021 75,70,112.40
    ['aumMax=0', ['C000103', 'C000104']], // no valuations in the fixture
    ['q=kapoor', ['C000101']],
    ['q=C00010', ['C000101', 'C000102', 'C000103', 'C000104']],
    ['q=ABCPK', ['C000101']], // admin: partial PAN
    ['returnMin=0.05', ['C000101', 'C000102']],
    ['returnMin=0.05&returnMax=0.1', ['C000102']],
    ['returnMetric=xirr&returnMin=0.19', ['C000101']],
    ['period=SI&returnMin=0', []], // no SI metrics stored
    ['year=2021&rm=RM002', ['C000101']],
  ])('%s', async (query, expected) => {
    expect(await codes(`${query}&sort=clientCode`)).toEqual(expected);
  });

  it('matches PAN only in full for callers without PII permission', async () => {
    const read = t.auth(await t.keyWith(['read']));
    expect((await get('q=ABCPK', read)).body.total).toBe(0);
    expect((await get('q=ABCPK1234F', read)).body.items.map((i: { pan: string }) => i.pan)).toEqual(['XXXXX1234X']);
  });

  it('sorts on any listed column, either way, nulls last', async () => {
    expect(await codes('sort=aum&order=desc')).toEqual(['C000101', 'C000102', 'C000103', 'C000104']); // 99.87 L, 75.70 L, 0, 0 (then name)
    expect(await codes('sort=aum&order=asc')).toEqual(['C000103', 'C000104', 'C000102', 'C000101']); // 0 (Vikram < Zoë), …
    expect(await codes('sort=onboardingDate&order=desc')).toEqual(['C000104', 'C000103', 'C000102', 'C000101']);
    expect(await codes('sort=return&order=desc')).toEqual(['C000101', 'C000102', 'C000103', 'C000104']);
    expect(await codes('sort=return&order=asc')).toEqual(['C000103', 'C000102', 'C000101', 'C000104']);
    expect(await codes('sort=portfolioCount&order=desc')).toEqual(['C000101', 'C000102', 'C000103', 'C000104']);
    expect(await codes('sort=city')).toEqual(['C000103', 'C000102', 'C000101', 'C000104']); // Jaipur, Kochi, Mumbai, null
    const page2 = await get('sort=clientCode&page=2&pageSize=3');
    expect(page2.body).toMatchObject({ total: 4, items: [{ clientCode: 'C000104' }] });
    expect((await get('sort=clientCode&page=9&pageSize=3')).body).toEqual({ items: [], total: 4 });
  });

  it('returns the period return with the list', async () => {
    const { body } = await get('q=Aarav');
    expect(body.items[0]).toMatchObject({ clientCode: 'C000101', aum: '9987310.25', return: 0.18, xirr: 0.2, period: '1Y', portfolioCount: 2 });
  });

  const INJECTIONS = ["' OR '1'='1", '1; DROP TABLE clients; --', 'name desc; select pg_sleep(1)', '1)) union select * from users--', "Mumbai'--", '%27%20or%201=1'];
  const PARAMS = ['year', 'aumMin', 'aumMax', 'sebiCategory', 'strategy', 'period', 'returnMetric', 'returnMin', 'returnMax', 'riskProfile', 'rm', 'city', 'state', 'status', 'q', 'sort', 'order', 'page', 'pageSize'];
  it.each(PARAMS)('answers 400 to injection strings in %s', async (param) => {
    for (const bad of INJECTIONS) {
      const r = await get(`${param}=${encodeURIComponent(bad)}`);
      expect(r.status, `${param}=${bad}`).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
    }
    const [n] = await t.db.sql`select count(*)::int as n from clients`;
    expect(n!.n).toBe(4);
  });

  it('answers 400 to an unknown parameter', async () => {
    expect((await get('orderBy=name')).status).toBe(400);
  });
});
