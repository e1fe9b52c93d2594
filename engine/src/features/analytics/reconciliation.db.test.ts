import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodReturn } from '../../analytics/index.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { analyticsWorker } from './analytics-worker.js';
import { computeBook } from './book-compute.js';
import type { Reconciliation } from './reconciliation.js';
import { FIXTURE_PORTFOLIOS, loadFixtureBook, type FixtureBook } from './testing/book-fixture.js';

let t: TestApp;
let book: FixtureBook;
const inception = (code: string) => FIXTURE_PORTFOLIOS.find((p) => p.code === code)!.inception;
const ours = (code: string, period: Parameters<typeof periodReturn>[0]['period'], flowTiming: 'start' | 'end' = 'start') =>
  periodReturn({ period, asOf: '2024-12-31', inceptionDate: inception(code), valuations: book.valuations.get(code)!, flows: book.flows.get(code)!, flowTiming })!.return;
const dmy = (iso: string) => iso.split('-').reverse().join('/');
const pct = (x: number) => (x * 100).toFixed(8);

beforeAll(async () => {
  t = await createTestApp();
  book = await loadFixtureBook(t.db.sql, '2024-12-31');
  await computeBook(t.db.sql, {});
});
afterAll(async () => {
  await analyticsWorker(t.deps).idle();
  await t.close();
});

async function importReported(csv: string) {
  const form = new FormData();
  form.set('kind', 'reported-performance');
  form.set('file', new Blob([csv], { type: 'text/csv' }), 'performance_report.csv');
  return t.app.request('/api/imports', { method: 'POST', body: form, headers: t.auth() });
}

describe('reported-performance import and GET /api/analytics/reconciliation', () => {
  it('rejects an unknown period label with its row and column', async () => {
    const res = await importReported('ws_account_code,period,to_date,twrr_pct\nTP1,4 Years,31/12/2024,10.5\n');
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { details: { row: number; columnName: string; message: string }[] } };
    expect(body.error.details[0]).toMatchObject({ row: 2, columnName: 'period' });
  });

  it('lists differences above 1 bp with the likely cause', async () => {
    // TP2: a custom period holding its ₹2,500 management fee (fixture: 'FEE1' on its 6th valuation day, 2023-06-08).
    const feeFrom = '2023-06-05';
    const feeTo = '2023-09-29';
    const tp2 = book.valuations.get('TP2')!;
    const inPeriod = tp2.filter((v) => v.date > feeFrom && v.date <= feeTo);
    const average = inPeriod.reduce((s, v) => s + Number(v.value), 0) / inPeriod.length;
    const net = ours('TP2', { from: feeFrom, to: feeTo });
    const gross = (1 + net) * (1 + 2500 / average) - 1; // what a report gross of fees would show
    const lines = [
      'Account Code,Period,From Date,To Date,Portfolio TWRR %,Benchmark TWRR %',
      `TP1,1 Year,,31/12/2024,${pct(ours('TP1', '1Y'))},`, // identical
      `TP1,YTD,,31/12/2024,${pct(ours('TP1', 'YTD') + 0.00005)},`, // 0.5 bp: within the threshold
      `TP1,Since Inception,,31/12/2024,${pct(ours('TP1', 'SI', 'end'))},12.0`, // end-of-day flows
      `TP2,,${dmy(feeFrom)},${dmy(feeTo)},${pct(gross)},`, // gross of fees
      `TP2,3 Months,,31/12/2024,${pct(ours('TP2', '3M') + 0.005)},`, // 50 bp off; TP2's feed skips days
      `TP4,3 Years,,31/12/2024,25.0,`, // TP4 started 2024-01-10
    ];
    const res = await importReported(`${lines.join('\n')}\n`);
    expect(res.status).toBe(201);
    expect(((await res.json()) as { inserted: number }).inserted).toBe(6);

    const rec = await t.app.request('/api/analytics/reconciliation', { headers: t.auth(await t.keyWith(['read'])) });
    expect(rec.status).toBe(200);
    const body = (await rec.json()) as Reconciliation;
    expect([body.checked, body.withinThreshold, body.thresholdBp]).toEqual([6, 2, 1]);
    const by = new Map(body.differences.map((d) => [`${d.portfolioCode} ${d.period}`, d]));
    expect([...by.keys()]).toEqual(['TP1 SI', 'TP2 CUSTOM', 'TP2 3M', 'TP4 3Y']);

    const si = by.get('TP1 SI')!;
    expect(Math.abs(si.differenceBp!)).toBeGreaterThan(1);
    expect(si.differenceBp).toBeCloseTo((ours('TP1', 'SI') - ours('TP1', 'SI', 'end')) * 1e4, 1);
    expect(si.likelyCause).toBe('flow-timing');
    expect(si.reportedBenchmark).toBe(0.12);
    expect(si.ourBenchmark).not.toBeNull();

    const fee = by.get('TP2 CUSTOM')!;
    expect([fee.fromDate, fee.toDate, fee.likelyCause]).toEqual([feeFrom, feeTo, 'fee-treatment']);
    expect(fee.evidence.some((e) => e.startsWith('fees and expenses of ₹2500.00'))).toBe(true);

    const gap = by.get('TP2 3M')!;
    expect(gap.differenceBp).toBeCloseTo(-50, 4);
    expect(gap.likelyCause).toBe('missing-price');
    expect(gap.evidence.at(-1)).toMatch(/index trading day\(s\) without a valuation/);

    expect(by.get('TP4 3Y')).toMatchObject({ ours: null, differenceBp: null, likelyCause: 'no-data' });
  });

  it('filters by portfolio and threshold', async () => {
    const res = await t.app.request('/api/analytics/reconciliation?portfolio=tp1&thresholdBp=0.1', { headers: t.auth() });
    const body = (await res.json()) as Reconciliation;
    expect([body.checked, body.withinThreshold]).toEqual([3, 1]);
    expect(body.differences.map((d) => d.period)).toEqual(['SI', 'YTD']);
  });
});
