import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_BENCHMARK, SAMPLE_RETURNS, SAMPLE_RISK_FREE } from '../../analytics/risk/sample-returns.fixture.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const post = (path: string, body: unknown, key?: string) =>
  t.app.request(path, { method: 'POST', headers: { ...t.auth(key), 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

// Microsoft's documented XIRR example (support.microsoft.com, "XIRR function"): Excel shows 0.373362535.
const excelExample = [
  { date: '2008-01-01', amount: -10000 },
  { date: '2008-03-01', amount: 2750 },
  { date: '2008-10-30', amount: '4250' },
  { date: '2009-02-15', amount: 3250 },
  { date: '2009-04-01', amount: 2750 },
];

describe('POST /api/analytics/xirr', () => {
  it("returns Excel's documented example rate, with an analytics-scoped key", async () => {
    const key = await t.keyWith(['analytics']);
    const res = await post('/api/analytics/xirr', { cashflows: [...excelExample].reverse() }, key);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rate: number };
    expect(body.rate).toBeCloseTo(0.373362535, 8);
  });

  it('refuses a key without the analytics scope (403)', async () => {
    const key = await t.keyWith(['read']);
    const res = await post('/api/analytics/xirr', { cashflows: excelExample }, key);
    expect(res.status).toBe(403);
  });

  it('answers 422 INVALID_CASHFLOWS when every flow has the same sign', async () => {
    const res = await post('/api/analytics/xirr', { cashflows: [{ date: '2024-01-01', amount: -100 }, { date: '2025-01-01', amount: -5 }] });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_CASHFLOWS');
  });

  it('answers 422 INVALID_CASHFLOWS for a single date', async () => {
    const res = await post('/api/analytics/xirr', { cashflows: [{ date: '2024-01-01', amount: -100 }, { date: '2024-01-01', amount: 105 }] });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_CASHFLOWS');
  });

  it('answers 400 for an amount "NaN" and for 2023-02-29, naming the field', async () => {
    const res = await post('/api/analytics/xirr', { cashflows: [{ date: '2023-02-29', amount: -100 }, { date: '2024-01-01', amount: 'NaN' }] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { path: string; message: string }[] } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['cashflows.0.date', 'cashflows.1.amount']));
  });

  it('answers 400 (not 500) for a body that is not JSON', async () => {
    const res = await post('/api/analytics/xirr', '{"cashflows": [');
    expect(res.status).toBe(400);
  });
});

describe('POST /api/analytics/returns-stats', () => {
  it('returns the statistics block of the numpy-checked sample (sample-returns.fixture.ts)', async () => {
    const res = await post('/api/analytics/returns-stats', { returns: SAMPLE_RETURNS, benchmark: SAMPLE_BENCHMARK, riskFree: SAMPLE_RISK_FREE });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, number | null>;
    expect(body.count).toBe(11);
    // numpy 2.4 values from engine/src/analytics/risk/sample-returns.reference.py
    expect(body.sharpe).toBeCloseTo(1.8102437838441647, 9);
    expect(body.beta).toBeCloseTo(1.290148448043185, 9);
    expect(body.informationRatio).toBeCloseTo(2.0233296359922357, 9);
    expect(body.valueAtRisk).toBeCloseTo(-0.0225, 12);
  });

  it('reports undefined statistics as null (one observation, no benchmark)', async () => {
    const res = await post('/api/analytics/returns-stats', { returns: [0.01] });
    const body = (await res.json()) as Record<string, number | null>;
    expect(body.count).toBe(1);
    expect(body.cumulativeReturn).toBeCloseTo(0.01, 15);
    expect([body.annualVolatility, body.sharpe, body.beta, body.trackingError]).toEqual([null, null, null, null]);
  });

  it('answers 400 when benchmark and returns differ in length', async () => {
    const res = await post('/api/analytics/returns-stats', { returns: [0.01, 0.02], benchmark: [0.01] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: { path: string; message: string }[] } };
    expect(body.error.details[0]).toEqual({ path: 'benchmark', message: 'benchmark has 1 entries but returns has 2: they must be aligned (same length)' });
  });

  it('answers 400 for "NaN" strings in the series', async () => {
    const res = await post('/api/analytics/returns-stats', { returns: [0.01, 'NaN'] });
    expect(res.status).toBe(400);
  });

  it('refuses more than 1,000,000 points with a 400 naming the limit', async () => {
    const res = await post('/api/analytics/returns-stats', `{"returns":[${'0,'.repeat(1_000_000)}0]}`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/1,000,000/);
  });

  it('answers 10 million points (a body over 64 MB) with a 400 before parsing it', async () => {
    const res = await post('/api/analytics/returns-stats', `{"returns":[${'0.0000001,'.repeat(10_000_000)}0]}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'TOO_MANY_POINTS', message: expect.stringMatching(/at most 1,000,000 points/) });
  }, 60_000);
});

describe('POST /api/analytics/twrr', () => {
  // Hand-computed (engine/src/analytics/returns/daily-twrr.test.ts, inception case, w = 1):
  // day 1: (10,00,000 − 0 − 10,00,000) / 10,00,000 = 0; day 2: 10,000 / 10,00,000 = 0.01;
  // day 3: (15,20,000 − 10,10,000 − 5,00,000) / (10,10,000 + 5,00,000) = 0.006622516556291391
  const inception = {
    valuations: [
      { date: '2024-04-01', value: '1000000' },
      { date: '2024-04-02', value: '1010000' },
      { date: '2024-04-03', value: '1520000' },
    ],
    flows: [
      { date: '2024-04-01', amount: '1000000' },
      { date: '2024-04-03', amount: 500000 },
    ],
  };

  it('chains the daily sub-periods of an inception series', async () => {
    const res = await post('/api/analytics/twrr', inception);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { twrr: number; annualized: number | null; days: number; subperiods: { date: string; return: number }[] };
    expect(body.subperiods).toEqual([
      { date: '2024-04-01', return: 0 },
      { date: '2024-04-02', return: 0.01 },
      { date: '2024-04-03', return: 0.006622516556291391 },
    ]);
    expect(body.twrr).toBeCloseTo(0.016688741721854417, 15);
    expect(body.annualized).toBeNull();
    expect(body.days).toBe(3);
  });

  it('uses end-of-day flows when asked: day 3 = (15,20,000 − 10,10,000 − 5,00,000) / 10,10,000', async () => {
    const res = await post('/api/analytics/twrr', { ...inception, flows: [inception.flows[1]], valuations: inception.valuations.slice(1), flowTiming: 'end' });
    const body = (await res.json()) as { twrr: number };
    expect(body.twrr).toBeCloseTo(10000 / 1010000, 15);
  });

  it('annualises from 365 days: 1,00,000 → 1,21,000 over 730 days is 10% a year', async () => {
    const res = await post('/api/analytics/twrr', { valuations: [{ date: '2022-01-01', value: 100000 }, { date: '2024-01-01', value: 121000 }] });
    const body = (await res.json()) as { twrr: number; annualized: number; days: number };
    expect(body.days).toBe(730);
    expect(body.twrr).toBeCloseTo(0.21, 14);
    expect(body.annualized).toBeCloseTo(0.1, 14);
  });

  it('answers 400 INVALID_INPUT for a duplicate valuation date', async () => {
    const res = await post('/api/analytics/twrr', { valuations: [{ date: '2024-01-01', value: 1 }, { date: '2024-01-01', value: 2 }] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toEqual({ code: 'INVALID_INPUT', message: 'Duplicate valuation date 2024-01-01' });
  });

  it('answers 400 for an unparseable date and an unknown flow timing', async () => {
    const res = await post('/api/analytics/twrr', { valuations: [{ date: '01/04/2024', value: 1 }], flowTiming: 'middle' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details.map((d) => d.path).sort()).toEqual(['flowTiming', 'valuations.0.date']);
  });
});
