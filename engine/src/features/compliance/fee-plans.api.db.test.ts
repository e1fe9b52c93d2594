import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configDir } from '../../env.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { storeFeePlan } from './fee-plans.js';
import { feePlan } from '../../analytics/fees/index.js';

// Fee plans per portfolio (issue #7): resolution, GET/PUT/DELETE, scope, and the compliance checks on data that trips them.
// The app runs on a copy of config/ whose fee-plans.json is this file's own (the real one may change with the demo):
const FEE_PLANS = {
  strategies: { MSC: { exitLoad: ['0.03', '0.02', '0.01'], periodAnchor: 'financial-year' } },
  portfolios: { WS913: { managementFeeFrequency: 'half-yearly' } },
};

let t: TestApp;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const body = async (r: Response): Promise<any> => r.json();
const PW = 'correct horse battery staple';
let rm910: { headers: (csrf?: boolean) => Record<string, string> };
let compliance: { headers: (csrf?: boolean) => Record<string, string> };
const ids: Record<string, number> = {};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pms-fee-plans-'));

/** A complete PUT body (every field): quarterly management fee, half-yearly performance fee, exit loads at the caps. */
const PLAN = {
  managementFeeRate: '0.01',
  managementFeeFrequency: 'quarterly',
  performanceFeeRate: '0.2',
  performanceFeeFrequency: 'half-yearly',
  hurdle: { kind: 'none' },
  exitLoad: ['0.03', '0.02', '0.01'],
  operatingExpenseRate: '0',
  gstRate: '0.18',
  periodAnchor: 'financial-year',
};
const put = (id: number, payload: unknown, headers: Record<string, string> = t.auth()) =>
  t.app.request(`/api/compliance/fee-plans/${id}`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(payload) });
const get = (id: number, headers: Record<string, string> = t.auth()) => t.app.request(`/api/compliance/fee-plans/${id}`, { headers });
const del = (id: number, headers: Record<string, string> = t.auth()) => t.app.request(`/api/compliance/fee-plans/${id}`, { method: 'DELETE', headers });
const checksOf = async (code: string) =>
  ((await body(await t.app.request('/api/compliance/dashboard', { headers: t.auth() }))).checks as { check: string; portfolioCode: string; at: string; detail: string }[]).filter(
    (c) => c.portfolioCode === code,
  );

beforeAll(async () => {
  fs.cpSync(configDir({}), tmp, { recursive: true });
  fs.writeFileSync(path.join(tmp, 'fee-plans.json'), JSON.stringify(FEE_PLANS));
  t = await createTestApp({ CONFIG_DIR: tmp });
  const sql = t.db.sql;
  const [rmA] = await sql`insert into relationship_managers (rm_code, name) values ('RM910', 'Own RM') returning id`;
  const [rmB] = await sql`insert into relationship_managers (rm_code, name) values ('RM911', 'Other RM') returning id`;
  const [own] = await sql`insert into clients (client_code, name, rm_id, onboarding_date) values ('C910', 'Own Client', ${rmA!.id}, '2024-04-01') returning id`;
  const [other] = await sql`insert into clients (client_code, name, rm_id, onboarding_date) values ('C911', 'Other Client', ${rmB!.id}, '2024-04-01') returning id`;
  await sql`insert into strategies (code, name, sebi_category) values ('FPX', 'Fee Plan Strategy', 'Equity')`;
  const portfolio = async (code: string, client: number, strategy: string, inception: string, mgf: string | null, prf: string | null, hurdle: string | null) => {
    const [p] = await sql`
      insert into portfolios (portfolio_code, client_id, strategy_id, inception_date, management_fee_rate, performance_fee_rate, hurdle_rate)
      values (${code}, ${client}, (select id from strategies where code = ${strategy}), ${inception}, ${mgf}, ${prf}, ${hurdle}) returning id`;
    ids[code] = p!.id;
    return p!.id as number;
  };
  const value = (id: number, d: string, v: string) => sql`insert into valuations (portfolio_id, valuation_date, market_value) values (${id}, ${d}, ${v})`;
  const fee = (id: number, key: string, d: string, code: string, amount: string, gst: string | null = null) =>
    sql`insert into transactions (portfolio_id, source_key, trade_date, type_code, classification, net_amount, service_tax) values (${id}, ${key}, ${d}, ${code}, 'fee', ${amount}, ${gst})`;

  // WS910 (own RM): as compliance.api.db.test.ts — ₹1,00,00,000 on 3 Mar 2025, MGF + PRF on 31 Mar, flat to 30 Apr.
  const a = await portfolio('WS910', own!.id, 'FPX', '2025-03-03', '0.01', '0.20', null);
  await sql`insert into capital_flows (portfolio_id, source_key, flow_date, type_code, amount) values (${a}, 'f1', '2025-03-03', 'CS+', 10000000)`;
  for (const [d, v] of [['2025-03-03', '10000000'], ['2025-03-31', '10790592.33'], ['2025-04-30', '10790592.33']] as const) await value(a, d, v);
  await fee(a, 't1', '2025-03-31', 'MGF', '-9407.67', '1435.07');
  await fee(a, 't2', '2025-03-31', 'PRF', '-200000', '30508.47');
  // WS911 (other RM's client), strategy MSC: exit loads from the config default, rates from the portfolio master.
  await portfolio('WS911', other!.id, 'MSC', '2024-04-01', '0.025', '0.20', '0.10');
  // WS913: config override charges the management fee half-yearly; Wealth Spectrum charged it at two quarter ends.
  const c = await portfolio('WS913', own!.id, 'FPX', '2025-04-01', '0.015', null, null);
  await fee(c, 'm1', '2025-06-30', 'MGF', '-44383.56', '6770.37');
  await fee(c, 'm2', '2025-09-30', 'MGF', '-44876.71', '6845.60');
  // WS914: FY2024-25 at a flat ₹1,00,00,000; other expenses (E01) of ₹60,000 charged on 31 Mar 2025.
  const e = await portfolio('WS914', own!.id, 'FPX', '2024-04-01', '0.01', null, null);
  await value(e, '2024-04-01', '10000000');
  await value(e, '2025-03-31', '10000000');
  await fee(e, 'e1', '2025-03-31', 'E01', '-60000');
  // WS915: ₹60 lakh in on 3 Jun 2024; ₹15 lakh out on 15 Jan 2025 → ₹45 lakh left.
  const w = await portfolio('WS915', own!.id, 'FPX', '2024-06-03', '0.01', null, null);
  await sql`insert into capital_flows (portfolio_id, source_key, flow_date, type_code, amount) values
    (${w}, 'w1', '2024-06-03', 'CS+', 6000000), (${w}, 'w2', '2025-01-15', 'CS-', -1500000)`;
  await value(w, '2024-06-03', '6000000');
  await value(w, '2025-01-15', '4500000');
  // WS916: a plan imported from the back office with a 4% first-year exit load (the API would refuse it; imports are stored).
  const x = await portfolio('WS916', own!.id, 'FPX', '2024-04-01', '0.01', null, null);
  await storeFeePlan(sql, x, feePlan({ managementFeeRate: '0.01', exitLoad: ['0.04', '0.02', '0.01'] }), 'import', 'import:1');

  await t.createUser({ email: 'rm910@example.com', role: 'rm', rmCode: 'RM910', password: PW });
  await t.createUser({ email: 'compliance@example.com', role: 'compliance', password: PW });
  rm910 = await t.login('rm910@example.com', PW);
  compliance = await t.login('compliance@example.com', PW);
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('GET /api/compliance/fee-plans/{portfolioId}: the resolved plan and where each field came from', () => {
  it('without a stored plan: config strategy default, then the portfolio master, then defaults', async () => {
    const res = await get(ids.WS911!);
    const b = await body(res);
    expect(res.status, JSON.stringify(b)).toBe(200);
    expect(b).toMatchObject({ portfolioCode: 'WS911', strategy: 'MSC', stored: null, violations: [] });
    expect(b.plan).toEqual({
      managementFeeRate: '0.025',
      managementFeeFrequency: 'quarterly',
      performanceFeeRate: '0.2',
      performanceFeeFrequency: 'annual',
      hurdle: { kind: 'fixed', rate: '0.1' },
      exitLoad: ['0.03', '0.02', '0.01'],
      operatingExpenseRate: '0',
      gstRate: '0.18',
      periodAnchor: 'financial-year',
    });
    expect(b.sources).toEqual({
      managementFeeRate: 'portfolio',
      managementFeeFrequency: 'default',
      performanceFeeRate: 'portfolio',
      performanceFeeFrequency: 'default',
      hurdle: 'portfolio',
      exitLoad: 'config-strategy',
      operatingExpenseRate: 'default',
      gstRate: 'default',
      periodAnchor: 'config-strategy',
    });
    const override = await body(await get(ids.WS913!));
    expect(override.plan.managementFeeFrequency).toBe('half-yearly');
    expect(override.sources).toMatchObject({ managementFeeFrequency: 'config-portfolio', managementFeeRate: 'portfolio', performanceFeeRate: 'default' });
  });

  it('an imported plan above the caps is served with its violations', async () => {
    const b = await body(await get(ids.WS916!));
    expect(b.stored).toMatchObject({ source: 'import', updatedBy: 'import:1' });
    expect(new Set(Object.values(b.sources))).toEqual(new Set(['import']));
    expect(b.violations).toEqual([{ code: 'EXIT_LOAD_ABOVE_CAP', field: 'exitLoad[0]', message: 'Exit load in year 1 is 4%; SEBI allows at most 3%' }]);
  });

  it("an RM reads their own clients' plans; another RM's portfolio is 404 (audited) and changing a plan is 403", async () => {
    expect((await get(ids.WS910!, rm910.headers(false))).status).toBe(200);
    const denied = await get(ids.WS911!, rm910.headers(false));
    expect(denied.status).toBe(404);
    expect((await body(denied)).error.code).toBe('NOT_FOUND');
    expect((await put(ids.WS911!, PLAN, rm910.headers())).status).toBe(403);
    expect((await put(ids.WS910!, PLAN, rm910.headers())).status).toBe(403); // RMs change no plan, not even their own
    expect((await del(ids.WS911!, rm910.headers())).status).toBe(403);
    const [audit] = await t.db.sql`select count(*)::int as n from audit_log where action = 'access.denied' and resource = 'compliance.fee-plan'`;
    expect(audit!.n).toBe(1);
    expect((await get(999_999)).status).toBe(404);
  });
});

describe('PUT / DELETE /api/compliance/fee-plans/{portfolioId}', () => {
  it('round trip: a compliance officer stores a plan (source api), hwm uses it, DELETE reverts to the default', async () => {
    // Before: annual performance fee (default) → next charge at the financial-year end after 30 Apr 2025.
    const before = await body(await t.app.request(`/api/compliance/hwm/${ids.WS910}`, { headers: t.auth() }));
    expect(before).toMatchObject({ nextPerformanceCharge: '2026-03-31', nextManagementCharge: '2025-06-30' });
    expect(before.planSources.performanceFeeFrequency).toBe('default');

    const res = await put(ids.WS910!, PLAN, compliance.headers());
    const b = await body(res);
    expect(res.status, JSON.stringify(b)).toBe(200);
    expect(b.plan).toEqual({ ...PLAN, hurdle: { kind: 'none' } });
    expect(b.stored).toMatchObject({ source: 'api', updatedBy: expect.stringMatching(/^user:\d+$/) });
    expect(b.sources.performanceFeeFrequency).toBe('api');
    expect(b.violations).toEqual([]);
    expect(await body(await get(ids.WS910!))).toEqual(b);

    // Half-yearly performance fee, FY-anchored: periods end 30 Sep and 31 Mar → the next after 30 Apr 2025 is 30 Sep 2025.
    // The 31 Mar 2025 crystallisation is unchanged (31 Mar ends a half-year too): 20% × 9,90,592.33 = 1,98,118.47.
    const after = await body(await t.app.request(`/api/compliance/hwm/${ids.WS910}`, { headers: t.auth() }));
    expect(after).toMatchObject({ nextPerformanceCharge: '2025-09-30', nextManagementCharge: '2025-06-30', highWaterMark: '10756812.54' });
    expect(after.planSources.performanceFeeFrequency).toBe('api');
    expect(after.crystallisations.map((c: { date: string; fee: string }) => [c.date, c.fee])).toEqual([['2025-03-31', '198118.47']]);

    const reverted = await del(ids.WS910!, compliance.headers());
    const r = await body(reverted);
    expect(reverted.status).toBe(200);
    expect(r).toMatchObject({ stored: null, plan: { performanceFeeFrequency: 'annual', exitLoad: ['0', '0', '0'] } });
    expect(r.sources.performanceFeeFrequency).toBe('default');
    expect((await body(await t.app.request(`/api/compliance/hwm/${ids.WS910}`, { headers: t.auth() }))).nextPerformanceCharge).toBe('2026-03-31');
    expect((await del(ids.WS910!, compliance.headers())).status).toBe(200); // idempotent

    const audit = await t.db.sql<{ action: string }[]>`select action from audit_log where action like 'compliance.fee-plan.%' and resource = ${`portfolio:${ids.WS910}`} order by id`;
    expect(audit.map((a) => a.action)).toEqual(['compliance.fee-plan.read', 'compliance.fee-plan.update', 'compliance.fee-plan.read', 'compliance.fee-plan.delete', 'compliance.fee-plan.delete']);
  });

  it('400 on bad input (float rates, a missing field, a rate above 1, more than 6 decimals, unknown fields); nothing stored', async () => {
    const bad = [
      { ...PLAN, managementFeeRate: 0.01 },
      (({ exitLoad: _e, ...rest }) => rest)(PLAN),
      { ...PLAN, performanceFeeRate: '1.5' },
      { ...PLAN, gstRate: '0.1800001' },
      { ...PLAN, hurdle: { kind: 'fixed' } },
      { ...PLAN, upfrontFee: '0.01' },
    ];
    for (const payload of bad) {
      const res = await put(ids.WS913!, payload);
      expect(res.status, JSON.stringify(payload)).toBe(400);
    }
    expect((await body(await get(ids.WS913!))).stored).toBeNull();
  });

  it("422 PLAN_ABOVE_SEBI_LIMITS for a plan that breaks SEBI's limits; the plan is refused, not stored", async () => {
    const res = await put(ids.WS913!, { ...PLAN, exitLoad: ['0.035', '0.02', '0.015'], operatingExpenseRate: '0.0075', performanceFeeFrequency: 'monthly' });
    const b = await body(res);
    expect(res.status).toBe(422);
    expect(b.error.code).toBe('PLAN_ABOVE_SEBI_LIMITS');
    expect(b.error.details.map((d: { code: string; field: string }) => `${d.code} ${d.field}`)).toEqual([
      'EXIT_LOAD_ABOVE_CAP exitLoad[0]',
      'EXIT_LOAD_ABOVE_CAP exitLoad[2]',
      'OPERATING_EXPENSES_ABOVE_CAP operatingExpenseRate',
      'PERFORMANCE_FEE_TOO_FREQUENT performanceFeeFrequency',
    ]);
    expect((await body(await get(ids.WS913!))).stored).toBeNull();
  });
});

describe('compliance checks on data that trips them (GET /api/compliance/dashboard)', () => {
  it('fees charged more often than the plan allows: follows the resolved plan (config override, then a stored plan)', async () => {
    // Plan (config override): management fee half-yearly, FY periods end 30 Sep and 31 Mar. MGF charged 30 Jun and 30 Sep 2025:
    // two dates in the half-year 1 Apr – 30 Sep 2025.
    expect(await checksOf('WS913')).toEqual([
      {
        check: 'fees-more-often-than-plan',
        portfolioId: ids.WS913,
        portfolioCode: 'WS913',
        clientId: expect.any(Number),
        at: '2025-09-30',
        detail: 'MGF charged on 2 dates in the half-yearly period ending 2025-09-30 (plan: half-yearly, from config-portfolio)',
      },
    ]);
    // A stored quarterly plan: one charge per quarter, no finding; removing it brings the finding back.
    expect((await put(ids.WS913!, PLAN, compliance.headers())).status).toBe(200);
    expect(await checksOf('WS913')).toEqual([]);
    expect((await del(ids.WS913!, compliance.headers())).status).toBe(200);
    expect(await checksOf('WS913')).toHaveLength(1);
  });

  it('exit load above the caps: the imported plan', async () => {
    expect(await checksOf('WS916')).toEqual([
      expect.objectContaining({ check: 'exit-load-above-cap', at: 'fee plan', detail: 'Exit load in year 1 is 4%; SEBI allows at most 3% (fee plan, from import)' }),
    ]);
  });

  it('operating expenses above 0.50% p.a. of average daily AUM', async () => {
    // FY2024-25: ₹1,00,00,000 on 1 Apr 2024 (364 days to 31 Mar) and on 31 Mar 2025 (1 day) → average daily AUM
    // (1,00,00,000 × 364 + 1,00,00,000 × 1) / 365 = 1,00,00,000; cap 0.50% × 1,00,00,000 × 365/365 = 50,000 < 60,000 charged.
    expect(await checksOf('WS914')).toEqual([
      expect.objectContaining({
        check: 'operating-expenses-above-cap',
        at: 'FY2024-25',
        detail: 'Operating expenses ₹60000.00 over 365 days on average daily AUM ₹10000000.00: above 0.50% p.a.',
      }),
    ]);
  });

  it('a portfolio below ₹50 lakh after a withdrawal', async () => {
    // 60,00,000 − 15,00,000 = 45,00,000 < 50,00,000 (PM Regulations 2020)
    expect(await checksOf('WS915')).toEqual([
      expect.objectContaining({ check: 'below-minimum-after-withdrawal', at: '2025-01-15', detail: 'Worth ₹4500000.00 after the withdrawal: below the ₹50 lakh minimum' }),
    ]);
    const dash = await body(await t.app.request('/api/compliance/dashboard', { headers: t.auth() }));
    expect(dash.portfoliosBelowMinimum).toEqual([{ portfolioId: ids.WS915, portfolioCode: 'WS915', clientId: expect.any(Number), value: '4500000.00', asOf: '2025-01-15' }]);
  });
});

describe('POST /api/compliance/withdrawal-impact with portfolioId: the portfolio\'s own plan', () => {
  const request = { capital: '6000000', start: '2024-03-31', returns: [{ to: '2025-03-31', grossReturn: 0 }], redemption: { date: '2024-10-01', amount: '1500000' } };
  const post = (payload: unknown) =>
    t.app.request('/api/compliance/withdrawal-impact', { method: 'POST', headers: { ...t.auth(), 'content-type': 'application/json' }, body: JSON.stringify(payload) });

  it('prices the exit load of the stored plan; 422 for the imported plan above the caps; 404 unknown; 400 plan and portfolioId', async () => {
    // WS915's stored plan: no management or performance fee, exit loads 3% / 2% / 1%.
    const plan = { ...PLAN, managementFeeRate: '0', performanceFeeRate: '0' };
    expect((await put(ids.WS915!, plan, compliance.headers())).status).toBe(200);
    // 60 L flat, 15 L out on 1 Oct 2024, in year 1: 3% × 15,00,000 = 45,000 + GST 18% 8,100 → paid out 14,46,900; 45 L remain (< 50 L)
    const res = await post({ ...request, portfolioId: ids.WS915 });
    const b = await body(res);
    expect(res.status, JSON.stringify(b)).toBe(200);
    expect(b).toMatchObject({ exitLoad: '45000.00', gst: '8100.00', netPayout: '1446900.00', remainingValue: '4500000.00', remainingBelowMinimum: true });
    expect(b.planSources).toMatchObject({ exitLoad: 'api', managementFeeRate: 'api' });
    expect((await del(ids.WS915!, compliance.headers())).status).toBe(200);

    const over = await post({ ...request, portfolioId: ids.WS916 });
    expect(over.status).toBe(422);
    expect((await body(over)).error.details.map((d: { code: string }) => d.code)).toEqual(['EXIT_LOAD_ABOVE_CAP']);
    expect((await post({ ...request, portfolioId: 999_999 })).status).toBe(404);
    expect((await post({ ...request, portfolioId: ids.WS915, plan: {} })).status).toBe(400);
    expect((await post(request)).status).toBe(400);
  });
});

describe('a benchmark-linked hurdle in the high-water mark', () => {
  it('grows the threshold with the strategy benchmark (benchmark_series) between charges', async () => {
    const sql = t.db.sql;
    // WS917: as WS910 (₹1,00,00,000 on 3 Mar 2025; MGF + PRF booked 31 Mar; flat to 30 Apr) but in LCE, benchmark NIFTY50_TRI,
    // which gains 5% from 2 Mar to 31 Mar 2025 (log growth 0 → ln 1.05) and is flat to 30 Apr.
    const [client] = await sql`select id from clients where client_code = 'C910'`;
    const [p] = await sql`insert into portfolios (portfolio_code, client_id, strategy_id, inception_date, management_fee_rate, performance_fee_rate)
      values ('WS917', ${client!.id}, (select id from strategies where code = 'LCE'), '2025-03-03', 0.01, 0.20) returning id`;
    const id = p!.id as number;
    await sql`insert into capital_flows (portfolio_id, source_key, flow_date, type_code, amount) values (${id}, 'f1', '2025-03-03', 'CS+', 10000000)`;
    for (const [d, v] of [['2025-03-03', '10000000'], ['2025-03-31', '10790592.33'], ['2025-04-30', '10790592.33']] as const) {
      await sql`insert into valuations (portfolio_id, valuation_date, market_value) values (${id}, ${d}, ${v})`;
    }
    await sql`insert into transactions (portfolio_id, source_key, trade_date, type_code, classification, net_amount, service_tax) values
      (${id}, 't1', '2025-03-31', 'MGF', 'fee', -9407.67, 1435.07), (${id}, 't2', '2025-03-31', 'PRF', 'fee', -200000, 30508.47)`;
    const [bm] = await sql`select benchmark_id as id from strategies where code = 'LCE'`;
    await sql`insert into benchmark_series (benchmark_id, value_date, daily_return, log_growth) values
      (${bm!.id}, '2025-03-02', null, 0), (${bm!.id}, '2025-03-31', null, ${Math.log(1.05)}), (${bm!.id}, '2025-04-30', 0, ${Math.log(1.05)})`;
    const res = await put(id, { ...PLAN, performanceFeeFrequency: 'annual', hurdle: { kind: 'benchmark' } }, compliance.headers());
    expect(res.status, JSON.stringify(await res.clone().json())).toBe(200);

    // 31 Mar: threshold = 1,00,00,000 × 1.05 = 1,05,00,000; value before the performance fee = 1,10,00,000 − MGF 9,407.67
    //   = 1,09,90,592.33; fee = 20% × (1,09,90,592.33 − 1,05,00,000) = 20% × 4,90,592.33 = 98,118.47, GST 17,661.32;
    //   mark = 1,09,90,592.33 − 98,118.47 − 17,661.32 = 1,08,74,812.54. Wealth Spectrum charged 2,00,000: difference +84,220.21.
    const b = await body(await t.app.request(`/api/compliance/hwm/${id}`, { headers: t.auth() }));
    expect(b.plan.hurdle).toEqual({ kind: 'benchmark' });
    expect(b.crystallisations).toEqual([
      { date: '2025-03-31', reason: 'scheduled', value: '10990592.33', markBefore: '10000000.00', threshold: '10500000.00', fraction: '1', fee: '98118.47', gst: '17661.32', markAfter: '10874812.54' },
    ]);
    expect(b.reconciliation.differences).toEqual([
      { kind: 'performance', typeCode: 'PRF', periodEnd: '2025-03-31', expected: '115779.79', actual: '200000.00', difference: '84220.21' },
    ]);
  });
});
