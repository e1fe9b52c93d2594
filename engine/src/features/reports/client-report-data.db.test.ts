import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { computeBook } from '../analytics/book-compute.js';
import { loadFixtureBook } from '../analytics/testing/book-fixture.js';
import { formatInr } from '../../reports/format.js';
import { ALL_CLIENTS } from '../../lib/scope.js';
import { loadClientReportData } from './client-report-data.js';

// The client report's high-water-mark table lists the portfolios whose *resolved* fee plan (methodology §10.6) has a
// performance fee: a fee set only in a stored plan (PUT /api/compliance/fee-plans/{id}) appears, although the
// Wealth Spectrum master of the portfolio carries no performance fee rate.

let t: TestApp;
let tc3 = 0;
let tp4 = 0;
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pms-client-report-'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (r: Response): Promise<any> => r.json();

async function reportText(name: string): Promise<string> {
  const res = await t.app.request(`/api/export/pdf?report=client&clientId=${tc3}&from=2024-12-01&to=2024-12-31`, { headers: t.auth() });
  expect(res.status).toBe(200);
  const file = path.join(out, `${name}.pdf`);
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

beforeAll(async () => {
  t = await createTestApp();
  const sql = t.db.sql;
  await loadFixtureBook(sql);
  await computeBook(sql, { full: true, kind: t.db.kind });
  tc3 = (await sql<{ id: number }[]>`select id from clients where client_code = 'TC3'`)[0]!.id;
  tp4 = (await sql<{ id: number }[]>`select id from portfolios where portfolio_code = 'TP4'`)[0]!.id;
}, 60_000);
afterAll(async () => {
  await t?.close();
  fs.rmSync(out, { recursive: true, force: true });
});

describe('client report: high-water marks from the resolved fee plan', () => {
  it('a performance fee set only in a stored plan puts the portfolio on the report', async () => {
    const sql = t.db.sql;
    const [master] = await sql<{ prf: string | null }[]>`select performance_fee_rate::text as prf from portfolios where id = ${tp4}`;
    expect(master!.prf === null || Number(master!.prf) === 0).toBe(true); // no performance fee in the Wealth Spectrum master

    const scope = ALL_CLIENTS;
    const before = await loadClientReportData(sql, { scope, clientId: tc3, asOf: '2024-12-31' });
    expect(before!.hwm).toEqual([]);
    expect(await reportText('before')).toContain('No portfolio of this client carries a performance fee.');

    const put = await t.app.request(`/api/compliance/fee-plans/${tp4}`, {
      method: 'PUT',
      headers: { ...t.auth(), 'content-type': 'application/json' },
      body: JSON.stringify({
        managementFeeRate: '0.01',
        managementFeeFrequency: 'quarterly',
        performanceFeeRate: '0.15',
        performanceFeeFrequency: 'annual',
        hurdle: { kind: 'fixed', rate: '0.08' },
        exitLoad: ['0', '0', '0'],
        operatingExpenseRate: '0',
        gstRate: '0.18',
        periodAnchor: 'financial-year',
      }),
    });
    expect(put.status).toBe(200);

    const after = await loadClientReportData(sql, { scope, clientId: tc3, asOf: '2024-12-31' });
    expect(after!.hwm.map((h) => [h.portfolioCode, h.performanceFeeRate])).toEqual([['TP4', '0.15']]);
    // the same figures as the compliance API's replay of that plan
    const hwm = await json(await t.app.request(`/api/compliance/hwm/${tp4}`, { headers: t.auth() }));
    expect(hwm.plan.performanceFeeRate).toBe('0.15');
    expect(hwm.asOf).toBe('2024-12-31');
    expect(after!.hwm[0]!.highWaterMark).toBe(hwm.highWaterMark);
    expect(after!.hwm[0]!.hurdleThreshold).toBe(hwm.hurdleThreshold);

    const text = await reportText('after');
    expect(text).not.toContain('No portfolio of this client carries a performance fee.');
    expect(text).toMatch(/High-water mark \(performance fee\)/);
    expect(text).toMatch(new RegExp(`TP4\\s+15\\.00%\\s+${formatInr(hwm.value).replace(/[.]/g, '\\.')}\\s+${formatInr(hwm.highWaterMark).replace(/[.]/g, '\\.')}`));
  });
});
