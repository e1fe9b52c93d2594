import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const body = async (r: Response): Promise<any> => r.json();
const post = (path: string, payload: unknown, headers: Record<string, string> = t.auth()) =>
  t.app.request(path, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(payload) });
let portfolioId = 0;

// One portfolio, built by hand: 1% management fee (quarterly), 20% performance fee, no hurdle.
// ₹1,00,00,000 in on Mon 3 Mar 2025; valued 3 Mar (1,00,00,000), 31 Mar and 30 Apr 2025.
// 31 Mar 2025 (FY end): value before fees 1,10,00,000; Wealth Spectrum charged MGF 9,407.67 (GST 1,435.07 in it) and
// PRF 2,00,000 (GST 30,508.47 in it) → valuation 1,07,90,592.33; 30 Apr flat at 1,07,90,592.33.
beforeAll(async () => {
  t = await createTestApp();
  const sql = t.db.sql;
  const [rm] = await sql`insert into relationship_managers (rm_code, name) values ('RM900', 'Test RM') returning id`;
  await sql`insert into relationship_managers (rm_code, name) values ('RM901', 'Other RM')`;
  const [client] = await sql`insert into clients (client_code, name, rm_id, onboarding_date) values ('C900', 'Fee Client', ${rm!.id}, '2025-03-03') returning id`;
  const [strategy] = await sql`insert into strategies (code, name, sebi_category) values ('FEE', 'Fee Strategy', 'Equity') returning id`;
  const [p] = await sql`
    insert into portfolios (portfolio_code, client_id, strategy_id, inception_date, management_fee_rate, performance_fee_rate)
    values ('WS900', ${client!.id}, ${strategy!.id}, '2025-03-03', 0.01, 0.20) returning id`;
  portfolioId = p!.id;
  await sql`insert into capital_flows (portfolio_id, source_key, flow_date, type_code, amount) values (${portfolioId}, 'f1', '2025-03-03', 'CS+', 10000000)`;
  for (const [d, v] of [['2025-03-03', '10000000'], ['2025-03-31', '10790592.33'], ['2025-04-30', '10790592.33']]) {
    await sql`insert into valuations (portfolio_id, valuation_date, market_value) values (${portfolioId}, ${d!}, ${v!})`;
  }
  for (const [key, code, amount, gst] of [['t1', 'MGF', '-9407.67', '1435.07'], ['t2', 'PRF', '-200000', '30508.47']]) {
    await sql`insert into transactions (portfolio_id, source_key, trade_date, type_code, classification, net_amount, service_tax)
      values (${portfolioId}, ${key!}, '2025-03-31', ${code!}, 'fee', ${amount!}, ${gst!})`;
  }
});
afterAll(() => t?.close());

describe('POST /api/compliance/fee-illustration', () => {
  it('returns the year-by-year illustration (loss year then recovery, as in fee-engine.test.ts)', async () => {
    const res = await post('/api/compliance/fee-illustration', {
      capital: '10000000',
      start: '2024-03-31',
      returns: [
        { to: '2025-03-31', grossReturn: 0.2 },
        { to: '2026-03-31', grossReturn: -0.1 },
        { to: '2027-03-31', grossReturn: '0.05' },
        { to: '2028-03-31', grossReturn: 0.1 },
      ],
      plan: { performanceFeeRate: '0.2' },
    });
    const b = await body(res);
    expect(res.status, JSON.stringify(b)).toBe(200);
    expect(b.years.map((y: { closingValue: string; performanceFee: string; highWaterMark: string }) => [y.closingValue, y.performanceFee, y.highWaterMark])).toEqual([
      ['11528000.00', '400000.00', '11528000.00'],
      ['10375200.00', '0.00', '11528000.00'],
      ['10893960.00', '0.00', '11528000.00'],
      ['11875891.98', '91071.20', '11875891.98'],
    ]);
    expect(b.totals.totalCharges).toBe('579464.02');
  });

  it('422 for a plan above SEBI caps, 400 for a performance fee more often than quarterly or float money', async () => {
    const base = { capital: '10000000', start: '2024-03-31', returns: [{ to: '2025-03-31', grossReturn: 0.1 }] };
    const over = await post('/api/compliance/fee-illustration', { ...base, plan: { exitLoad: ['0.04', '0.02', '0.01'], operatingExpenseRate: '0.006' } });
    const ob = await body(over);
    expect(over.status).toBe(422);
    expect(ob.error.code).toBe('PLAN_ABOVE_SEBI_LIMITS');
    expect(ob.error.details.map((d: { code: string }) => d.code)).toEqual(['EXIT_LOAD_ABOVE_CAP', 'OPERATING_EXPENSES_ABOVE_CAP']);
    const monthly = await post('/api/compliance/fee-illustration', { ...base, plan: { performanceFeeRate: '0.2', performanceFeeFrequency: 'monthly' } });
    expect(monthly.status).toBe(400);
    const float = await post('/api/compliance/fee-illustration', { ...base, capital: 10000000, plan: {} });
    expect(float.status).toBe(400);
  });

  it('needs the analytics scope', async () => {
    const res = await post('/api/compliance/fee-illustration', {}, t.auth(await t.keyWith(['read'])));
    expect(res.status).toBe(403);
  });
});

describe('POST /api/compliance/withdrawal-impact', () => {
  it('prices the exit load and flags a remainder below ₹50 lakh', async () => {
    // 60 L, flat, 15 L out on 1 Oct 2024 (year 1: 3% = 45,000 + GST 8,100) → 45 L remain
    const res = await post('/api/compliance/withdrawal-impact', {
      capital: '6000000',
      start: '2024-03-31',
      returns: [{ to: '2025-03-31', grossReturn: 0 }],
      plan: { exitLoad: ['0.03', '0.02', '0.01'] },
      redemption: { date: '2024-10-01', amount: '1500000' },
    });
    const b = await body(res);
    expect(res.status, JSON.stringify(b)).toBe(200);
    expect(b).toMatchObject({ exitLoad: '45000.00', gst: '8100.00', netPayout: '1446900.00', remainingValue: '4500000.00', remainingBelowMinimum: true });
  });
});

describe('GET /api/compliance/hwm', () => {
  it('tracks the mark from the database and lists the PRF that differs from the plan', async () => {
    // Management fee: 28 days (3–30 Mar) at 1,00,00,000 + 31 Mar at 1,10,00,000 → 0.01/365 × 29,10,00,00,000 = 7,972.60
    //   + GST 1,435.07 = 9,407.67: matches the MGF.
    // Performance fee: 20% × (1,10,00,000 − 9,407.67 − 1,00,00,000) = 20% × 9,90,592.33 = 1,98,118.47 + GST 35,661.32
    //   = 2,33,779.79 expected; PRF charged 2,00,000 → difference −33,779.79. Mark = 1,09,90,592.33 − 2,33,779.79 = 1,07,56,812.54.
    // 30 Apr: value 1,07,90,592.33, 33,779.79 above the mark. Accrued management fee: 1–29 Apr on the plan value
    //   1,07,56,812.54 and 30 Apr on 1,07,90,592.33 = 0.01/365 × 32,27,38,155.99 = 8,842.14 (GST 1,591.59);
    //   performance fee if crystallised = 20% × (1,07,90,592.33 − 8,842.14 − 1,591.59 − 1,07,56,812.54) = 4,669.21
    const res = await t.app.request(`/api/compliance/hwm/${portfolioId}`, { headers: t.auth() });
    const b = await body(res);
    expect(res.status, JSON.stringify(b)).toBe(200);
    expect(b).toMatchObject({
      asOf: '2025-04-30',
      value: '10790592.33',
      highWaterMark: '10756812.54',
      distance: '33779.79',
      nextManagementCharge: '2025-06-30',
      nextPerformanceCharge: '2026-03-31',
    });
    expect(b.ifCrystallisedToday).toMatchObject({ managementFee: '8842.14', performanceFee: '4669.21' });
    expect(b.crystallisations).toEqual([
      { date: '2025-03-31', reason: 'scheduled', value: '10990592.33', markBefore: '10000000.00', threshold: '10000000.00', fraction: '1', fee: '198118.47', gst: '35661.32', markAfter: '10756812.54' },
    ]);
    expect(b.reconciliation.differences).toEqual([
      { kind: 'performance', typeCode: 'PRF', periodEnd: '2025-03-31', expected: '233779.79', actual: '200000.00', difference: '-33779.79' },
    ]);
    expect(b.reconciliation.rows).toHaveLength(2);
    expect(b.reconciliation.rows[0]).toMatchObject({ kind: 'management', expected: '9407.67', actual: '9407.67', difference: '0.00' });
  });

  it('lists marks with fee totals; RMs (no analytics scope) are refused; an unknown portfolio is 404', async () => {
    const list = await body(await t.app.request('/api/compliance/hwm', { headers: t.auth() }));
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ portfolioCode: 'WS900', differences: 1, expectedFees: '243187.46', actualFees: '209407.67' });
    await t.createUser({ email: 'other@example.com', role: 'rm', rmCode: 'RM901', password: 'correct horse battery staple' });
    const s = await t.login('other@example.com', 'correct horse battery staple');
    // an RM has no analytics scope: the routes are for compliance and management
    expect((await t.app.request('/api/compliance/hwm', { headers: s.headers(false) })).status).toBe(403);
    expect((await t.app.request('/api/compliance/hwm/999999', { headers: t.auth() })).status).toBe(404);
    const audited = await t.db.sql`select count(*)::int as count from audit_log where action = 'compliance.hwm.read'`;
    expect(audited[0]!.count).toBe(1);
  });
});

describe('GET /api/compliance/disclosure and /dashboard', () => {
  it('computes the pooled net TWRR per approach when no precomputed metrics exist, as JSON, CSV and XLSX', async () => {
    // SI (base 2 Mar 2025 → 30 Apr 2025, 59 days, absolute): 1,07,90,592.33 / 1,00,00,000 − 1 = 7.9059%; 1M (31 Mar → 30 Apr): 0
    const res = await t.app.request('/api/compliance/disclosure', { headers: t.auth() });
    const b = await body(res);
    expect(res.status, JSON.stringify(b)).toBe(200);
    const row = b.rows.find((r: { strategyCode: string }) => r.strategyCode === 'FEE');
    expect(row).toMatchObject({ source: 'computed', asOf: '2025-04-30', benchmark: null });
    expect(row.periods.SI.return).toBeCloseTo(0.0790592333, 9);
    expect(row.periods.SI.annualized).toBe(false);
    expect(row.periods['1M'].return).toBe(0);
    expect(row.periods['1Y'].return).toBeNull(); // not lived through a whole year
    const csv = await (await t.app.request('/api/compliance/disclosure?format=csv', { headers: t.auth() })).text();
    expect(csv.split('\r\n').find((l) => l.startsWith('Fee Strategy'))).toBe('Fee Strategy,FEE,Equity,,2025-04-30,0.00,,,,,,,,,,,,,,7.91,');
    const xlsx = await t.app.request('/api/compliance/disclosure?format=xlsx', { headers: t.auth() });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect(new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b])); // zip
  });

  it('the compliance view: fee totals by financial year, high-water marks, no portfolio below the minimum', async () => {
    const res = await t.app.request('/api/compliance/dashboard', { headers: t.auth() });
    const b = await body(res);
    expect(res.status, JSON.stringify(b)).toBe(200);
    expect(b.feeTotals).toEqual([{ financialYear: 'FY2024-25', managementFees: '9407.67', performanceFees: '200000.00', operatingExpenses: '0' }]);
    expect(b.highWaterMarks).toEqual({ portfoliosWithPerformanceFee: 1, computed: 1, aboveMark: 1, belowMark: 0, reconciliationDifferences: 1 });
    expect(b.portfoliosBelowMinimum).toEqual([]);
    expect(b.checks).toEqual([]);
  });
});
