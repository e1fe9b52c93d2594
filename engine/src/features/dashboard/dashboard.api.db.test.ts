import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { importDeps, importOkBook } from '../imports/test-helpers.js';

// Fixture book: RM002 Rohit has C000101 Aarav (WS0000101 LCE, WS0000104 MSC) and C000103 Vikram (WS0000103 HYB);
// RM003 Kavita has C000102 Meera (WS0000102 DBT) and C000104. Analytics rows are inserted as the worker would store them.
let t: TestApp;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (r: Response): Promise<any> => r.json();
const PW = 'correct horse battery staple';
const ids: Record<string, number> = {};
const pf: Record<string, number> = {};
type Session = Awaited<ReturnType<TestApp['login']>>;
let rohit: Session, kavita: Session, cio: Session, compliance: Session;
const lastAudit = async (action: string) => (await t.db.sql`select * from audit_log where action = ${action} order by id desc limit 1`)[0];

/** One day of an entity's stored series (packed per month; its return and log growth follow from the values), with its benchmark's return on that day. */
async function seriesRow(type: string, id: number, date: string, value: string, b: number | null) {
  const [bench] = await t.db.sql<{ id: number }[]>`select id from benchmarks order by id limit 1`;
  await t.db.sql`insert into analytics_entities (entity_type, entity_id, benchmark_id, as_of, method) values (${type}, ${id}, ${bench!.id}, ${date}, 'test')
                 on conflict (entity_type, entity_id) do update set as_of = greatest(analytics_entities.as_of, excluded.as_of)`;
  await t.db.sql`insert into benchmark_series (benchmark_id, value_date, daily_return, log_growth) values (${bench!.id}, ${date}, ${b}, 0)
                 on conflict do nothing`;
  await t.db.sql.unsafe(
    `insert into analytics_series_months (entity_type, entity_id, month, c_value, c_log_growth, c_n, c_s_r, c_s_r2, c_s_dn2, c_pn, c_s_pr, c_s_pr2,
       c_s_b, c_s_b2, c_s_rb, c_peak_log_growth, c_max_drawdown, value, net_flow)
     values ($1, $2, date_trunc('month', $3::date), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, array_fill(null::bigint, array[31]), '{}')
     on conflict do nothing`,
    [type, id, date],
  );
  await t.db.sql`
    update analytics_series_months set value[extract(day from ${date}::date)] = round(${value}::numeric * 100)::bigint
    where entity_type = ${type} and entity_id = ${id} and month = date_trunc('month', ${date}::date)`;
}
async function metricRow(type: string, id: number, period: string, ret: number, bench: number, extra: { vol?: number; closing?: string } = {}) {
  await t.db.sql`insert into analytics_methods (method) values ('test') on conflict do nothing`;
  await t.db.sql`
    insert into analytics_metrics_stored (entity_type, entity_id, period, as_of, from_date, to_date, days, twrr, reported_return, benchmark_reported, excess_return,
      annual_volatility, closing_value, method_id)
    values (${type}, ${id}, ${period}, '2021-04-19', '2021-04-15', '2021-04-19', 4, ${ret}, ${ret}, ${bench}, ${ret - bench}, ${extra.vol ?? null}, ${extra.closing ?? null}, (select id from analytics_methods where method = 'test'))`;
}

beforeAll(async () => {
  t = await createTestApp();
  await importOkBook(await importDeps(t.db));
  for (const r of await t.db.sql<{ client_code: string; id: number }[]>`select client_code, id from clients`) ids[r.client_code] = r.id;
  for (const r of await t.db.sql<{ portfolio_code: string; id: number }[]>`select portfolio_code, id from portfolios`) pf[r.portfolio_code] = r.id;
  await t.createUser({ email: 'rohit@pms.test', role: 'rm', rmCode: 'RM002', password: PW });
  await t.createUser({ email: 'kavita@pms.test', role: 'rm', rmCode: 'RM003', password: PW });
  await t.createUser({ email: 'cio@pms.test', role: 'management', password: PW });
  await t.createUser({ email: 'compliance@pms.test', role: 'compliance', password: PW });
  [rohit, kavita, cio, compliance] = (await Promise.all(['rohit', 'kavita', 'cio', 'compliance'].map((u) => t.login(`${u}@pms.test`, PW)))) as [Session, Session, Session, Session];
  // Client C000101: growth 0 → +1% → +3%; benchmark daily returns –, 0.5%, 1%.
  await seriesRow('client', ids.C000101!, '2021-04-15', '10000000.00', null);
  await seriesRow('client', ids.C000101!, '2021-04-16', '10100000.00', 0.005);
  await seriesRow('client', ids.C000101!, '2021-04-19', '10300000.00', 0.01);
  // The firm series' last date is the dashboards' as-of date: the metrics below are as of it.
  await seriesRow('firm', 0, '2021-04-19', '17557422.65', 0.01);
  await metricRow('client', ids.C000101!, '1M', 0.03, 0.01505);
  await metricRow('portfolio', pf.WS0000101!, '1M', 0.03, 0.01505, { vol: 0.2, closing: '9987310.25' });
  await metricRow('portfolio', pf.WS0000102!, '1M', 0.01, 0.004, { vol: 0.05, closing: '7570112.40' });
  await metricRow('portfolio', pf.WS0000102!, 'SI', 0.011, 0.004);
});
afterAll(() => t?.close());

describe('GET /api/portfolios/{clientId}', () => {
  it('returns value, flows, fees, transactions and period returns of the client\'s portfolios', async () => {
    const res = await t.app.request(`/api/portfolios/${ids.C000101}?transactions=2`, { headers: rohit.headers(false) });
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.client).toMatchObject({ clientCode: 'C000101', pan: 'XXXXX1234X', aum: '9987310.25' });
    expect(body.communications).toBeNull(); // no Salesforce Account Id
    const [p101, p104] = body.portfolios;
    expect(p101).toMatchObject({ portfolioCode: 'WS0000101', value: '9987310.25', valueAsOf: '2021-04-19', strategy: { code: 'LCE' } });
    // Capital register: +1,00,00,000 and −15,00,000.
    expect(p101.flows).toMatchObject({ inflows: '10000000.00', outflows: '1500000.00', net: '8500000.00' });
    expect(p101.fees).toEqual([{ typeCode: 'MGF', amount: '49589.04', count: 1 }]);
    expect(p101.recentTransactions.map((x: { typeCode: string; tradeDate: string }) => `${x.tradeDate} ${x.typeCode}`)).toEqual(['2022-01-10 SL+', '2022-01-05 CS-']);
    expect(p101.returns).toEqual([expect.objectContaining({ period: '1M', twrr: 0.03, reportedReturn: 0.03, benchmarkReported: 0.01505 })]);
    expect(p101.risk.sinceInception).toBeNull();
    // No capital register for WS0000104: the feed's CS+ 60,00,000 is its flow.
    expect(p104).toMatchObject({ portfolioCode: 'WS0000104', value: null, flows: { inflows: '6000000.00', net: '6000000.00' } });
    // Latest appraisal (31-Mar-2022): Reliance 39,45,225 + HDFC Bank 22,05,300 (Equity) and cash 55,43,210.25; total 1,16,93,735.25.
    expect(p101.allocation.asOf).toBe('2022-03-31');
    expect(p101.allocation.byAssetClass).toEqual([
      { name: 'Equity', weight: expect.closeTo(6150525 / 11693735.25, 12), holdings: 2 },
      { name: 'Cash', weight: expect.closeTo(5543210.25 / 11693735.25, 12), holdings: 1 },
    ]);
    expect(p101.allocation.topHoldings.map((h: { name: string; marketValue: string }) => `${h.name} ${h.marketValue}`)).toEqual([
      'Cash & Equivalents 5543210.25', 'Reliance Industries Ltd 3945225.00', 'HDFC Bank Ltd 2205300.00',
    ]);
    expect(p104.allocation).toEqual({ asOf: null, byAssetClass: [], bySector: [], topHoldings: [] });
    expect(await lastAudit('portfolios.read')).toMatchObject({ client_ids: [ids.C000101] });
  });

  it('answers 404 for another RM\'s client and audits the attempt', async () => {
    expect((await t.app.request(`/api/portfolios/${ids.C000101}`, { headers: kavita.headers(false) })).status).toBe(404);
    expect(await lastAudit('access.denied')).toMatchObject({ resource: 'portfolios.get', client_ids: [ids.C000101] });
  });
});

describe('GET /api/performance', () => {
  it('charts a client vs its benchmark: cumulative TWRR exp(lg − lg₀) − 1, benchmark chained', async () => {
    const body = await json(await t.app.request(`/api/performance?scope=client&id=${ids.C000101}&period=1M&grain=daily`, { headers: rohit.headers(false) }));
    expect(body).toMatchObject({ entity: { type: 'client', id: ids.C000101 }, from: '2021-04-15', to: '2021-04-19', figures: { reportedReturn: 0.03, benchmarkReported: 0.01505 } });
    expect(body.chart.labels).toEqual(['2021-04-15', '2021-04-16', '2021-04-19']);
    const [port, bench] = body.chart.datasets;
    expect(port.data[0]).toBe(0);
    expect(port.data[1]).toBeCloseTo(0.01, 12);
    expect(port.data[2]).toBeCloseTo(0.03, 12);
    expect(bench.data[1]).toBeCloseTo(0.005, 12);
    expect(bench.data[2]).toBeCloseTo(1.005 * 1.01 - 1, 12); // 0.01505
    const monthly = await json(await t.app.request(`/api/performance?scope=client&id=${ids.C000101}&period=1M&grain=monthly`, { headers: rohit.headers(false) }));
    expect(monthly.chart.labels).toEqual(['2021-04-15', '2021-04-19']);
  });

  it('keeps each caller inside their scope', async () => {
    expect((await t.app.request(`/api/performance?scope=client&id=${ids.C000101}`, { headers: kavita.headers(false) })).status).toBe(404);
    expect((await t.app.request(`/api/performance?scope=portfolio&id=${pf.WS0000101}`, { headers: kavita.headers(false) })).status).toBe(404);
    expect(await lastAudit('access.denied')).toMatchObject({ client_ids: [ids.C000101], resource: 'performance' });
    const [rm002] = await t.db.sql`select id from relationship_managers where rm_code = 'RM002'`;
    expect((await t.app.request(`/api/performance?scope=rm&id=${rm002!.id}`, { headers: kavita.headers(false) })).status).toBe(404);
    expect((await t.app.request('/api/performance?scope=strategy&id=1', { headers: kavita.headers(false) })).status).toBe(403);
    const firm = await json(await t.app.request('/api/performance?scope=firm', { headers: kavita.headers(false) }));
    expect(firm.entity.type).toBe('team');
    expect((await json(await t.app.request('/api/performance?scope=firm', { headers: cio.headers(false) }))).entity).toEqual({ type: 'firm', id: 0 });
    for (const bad of ['scope=clients', "period=1Y'", 'grain=weekly', 'id=1;select']) expect((await t.app.request(`/api/performance?${bad}`, { headers: cio.headers(false) })).status, bad).toBe(400);
  });
});

describe('dashboards', () => {
  it('executive figures cover only the caller\'s book', async () => {
    const mine = await json(await t.app.request('/api/dashboard/executive?period=1M&grain=monthly', { headers: rohit.headers(false) }));
    expect(mine.error).toBeUndefined();
    expect(mine.figures).toMatchObject({ aum: '9987310.25', clients: 2, activeClients: 1, portfolios: 3 });
    expect(mine.topPortfolios.map((p: { portfolioCode: string }) => p.portfolioCode)).toEqual(['WS0000101']);
    expect(mine.performanceOverview.labels).toEqual(['HYB', 'LCE', 'MSC']);
    expect(mine.riskDistribution).toEqual({ labels: ['Aggressive', 'Conservative'], datasets: [{ label: 'Clients', data: [1, 1] }, { label: 'AUM', data: [9987310.25, 0] }] });
    const all = await json(await t.app.request('/api/dashboard/executive?period=1M', { headers: cio.headers(false) }));
    // 99,87,310.25 + 75,70,112.40
    expect(all.figures).toMatchObject({ aum: '17557422.65', clients: 4, portfolios: 4 });
    expect(all.topPortfolios.map((p: { portfolioCode: string }) => p.portfolioCode)).toEqual(['WS0000101', 'WS0000102']);
    expect(all.bottomPortfolios.map((p: { portfolioCode: string }) => p.portfolioCode)).toEqual(['WS0000102', 'WS0000101']);
    const filtered = await json(await t.app.request('/api/dashboard/executive?period=1M&rm=RM003', { headers: cio.headers(false) }));
    expect(filtered.figures).toMatchObject({ aum: '7570112.40', clients: 2 });
    // SEBI categories from each portfolio's latest valuation: Equity = WS0000101 99,87,310.25 (LCE) + WS0000104 nothing valued (MSC);
    // Debt = WS0000102 75,70,112.40 (DBT); Hybrid = WS0000103 nothing valued (HYB, closed). 99,87,310.25 + 75,70,112.40 = 1,75,57,422.65 = figures.aum.
    expect(all.categoryMix.rows).toEqual([
      { label: 'Equity', portfolios: 2, aum: '9987310.25' },
      { label: 'Debt', portfolios: 1, aum: '7570112.40' },
      { label: 'Hybrid', portfolios: 1, aum: '0' },
    ]);
    expect(all.categoryMix.labels).toEqual(['Equity', 'Debt', 'Hybrid']);
    expect(mine.categoryMix.rows).toEqual([{ label: 'Equity', portfolios: 2, aum: '9987310.25' }, { label: 'Hybrid', portfolios: 1, aum: '0' }]);
    expect(await lastAudit('dashboard.executive')).toMatchObject({ actor_role: 'management' });
  });

  it('ranks and sums only figures as of the dashboard date, not a closed portfolio\'s last ones', async () => {
    // WS0000103 (HYB) was redeemed: its last "1M" ended long before the dashboard's as-of date.
    await t.db.sql`
      insert into analytics_metrics_stored (entity_type, entity_id, period, as_of, from_date, to_date, days, twrr, reported_return, benchmark_reported, closing_value, method_id)
      values ('portfolio', ${pf.WS0000103!}, '1M', '2021-01-15', '2020-12-15', '2021-01-15', 31, 0.5, 0.5, 0.02, '7500000.00', (select id from analytics_methods where method = 'test'))`;
    const all = await json(await t.app.request('/api/dashboard/executive?period=1M', { headers: cio.headers(false) }));
    expect(all.topPortfolios.map((p: { portfolioCode: string }) => p.portfolioCode)).toEqual(['WS0000101', 'WS0000102']);
    const hyb = all.performanceOverview.rows?.find((r: { strategy: string }) => r.strategy === 'HYB') ?? null;
    if (hyb) expect(hyb).toMatchObject({ portfolios: 0, aum: '0' });
    const hybIndex = all.performanceOverview.labels.indexOf('HYB');
    expect(all.performanceOverview.datasets[0].data[hybIndex]).toBeNull(); // no live HYB return to show
  });

  it('clients and performance dashboards, chart-ready, in scope', async () => {
    const clients = await json(await t.app.request('/api/dashboard/clients?grain=yearly', { headers: kavita.headers(false) }));
    expect(clients.figures).toEqual({ clients: 2, aum: '7570112.40' }); // 75,70,112.40 + nothing for C000104
    expect(clients.onboardingTrend).toEqual({ labels: ['2021-01-01', '2023-01-01'], datasets: [{ label: 'New clients', data: [1, 1] }] });
    expect(clients.rmDistribution.labels).toEqual(['Kavita Iyer']);
    // Rows carry the RM's id and code, so a chart segment can filter the list with ?rm=RM003.
    const [kavitaRm] = await t.db.sql<{ id: number }[]>`select id from relationship_managers where rm_code = 'RM003'`;
    expect(clients.rmDistribution.rows).toEqual([{ label: 'Kavita Iyer', rmId: kavitaRm!.id, rmCode: 'RM003', clients: 2, aum: '7570112.40' }]);
    expect(clients.topClients.rows.map((r: { clientCode: string }) => r.clientCode)).toEqual(['C000102', 'C000104']);
    const perf = await json(await t.app.request('/api/dashboard/performance?period=1M', { headers: kavita.headers(false) }));
    expect(perf.riskReturn.points).toEqual([{ portfolioId: pf.WS0000102, portfolioCode: 'WS0000102', volatility: 0.05, return: 0.01 }]);
    expect(perf.entity.type).toBe('team');
  });

  it('compliance dashboard: disclosure, fee checks, high-water marks and access events for compliance; refused to RMs', async () => {
    const res = await t.app.request('/api/dashboard/compliance', { headers: compliance.headers(false) });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.figures).toEqual({ disclosuresDue: body.disclosures.length, feeChecksFailed: body.feeChecks.length, highWaterMarkBreaches: body.highWaterMarks.aboveMark });
    expect(body.disclosures.length).toBeGreaterThan(0); // one row per strategy with portfolios
    expect(body.highWaterMarks).toMatchObject({ portfoliosWithPerformanceFee: expect.any(Number), computed: expect.any(Number) });
    // Access events: the last 14 days, today's audited reads include this suite's own requests.
    expect(body.accessEvents.labels).toHaveLength(14);
    expect(body.accessEvents.datasets.map((d: { label: string }) => d.label)).toEqual(['Reads', 'Imports', 'Denied']);
    expect(body.accessEvents.datasets[0].data.at(-1)).toBeGreaterThan(0);
    expect((await t.app.request('/api/dashboard/compliance', { headers: rohit.headers(false) })).status).toBe(403);
  });

  it('answers 400 to injection strings in dashboard filters', async () => {
    for (const bad of ["rm=RM001' or '1'='1", 'grain=monthly;drop', 'state=x%27--', 'aumMin=1 or 1=1']) {
      expect((await t.app.request(`/api/dashboard/executive?${bad.replace(/ /g, '%20')}`, { headers: cio.headers(false) })).status, bad).toBe(400);
    }
  });
});

describe('OpenAPI', () => {
  it('documents every route of this issue with a summary and tags', async () => {
    const doc = await json(await t.app.request('/api/openapi.json'));
    const paths = ['/api/clients', '/api/clients/{id}', '/api/portfolios/{clientId}', '/api/performance', '/api/dashboard/executive', '/api/dashboard/clients', '/api/dashboard/performance', '/api/dashboard/compliance', '/api/views/save', '/api/views', '/api/views/{id}', '/api/audit', '/api/users', '/api/auth/login', '/api/auth/logout', '/api/auth/me'];
    for (const p of paths) {
      expect(doc.paths[p], p).toBeDefined();
      for (const op of Object.values(doc.paths[p]) as { summary: string; tags: string[] }[]) {
        expect(op.summary, p).toBeTruthy();
        expect(op.tags.length, p).toBe(1);
      }
    }
  });
});
