import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOrg, type FakeOrg } from '../../connectors/salesforce/fake-org/index.js';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET } from '../../connectors/salesforce/testing/fake-connect.js';
import { startReportPackJob } from '../../jobs/report-pack.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { computeBook } from '../analytics/book-compute.js';
import { loadFixtureBook } from '../analytics/testing/book-fixture.js';
import { entityPerformance } from './client-report-data.js';

// The analytics fixture book (TC1–TC3, valuations to 2024-12-31) and a fake Salesforce org reached through the real
// connector (client credentials). TC1 and TC2 are linked to real Accounts; TC3 to an Account Id the org does not know,
// so its upload is rejected (INVALID_CROSS_REFERENCE_KEY): the pack must carry on with the others.

let t: TestApp;
let fake: FakeOrg;
const accounts: Record<string, string> = {};
const ids: Record<string, number> = {};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pms-pack-'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (r: Response): Promise<any> => r.json();
const post = (body: unknown) => t.app.request('/api/reports/runs', { method: 'POST', headers: { ...t.auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  fake = await startFakeOrg();
  for (const code of ['TC1', 'TC2']) accounts[code] = fake.org.insert('Account', { Name: `Client ${code}`, PMS_Client_Code__c: code }).Id;
  t = await createTestApp({ SALESFORCE_INSTANCE_URL: fake.url, SALESFORCE_CLIENT_ID: FAKE_CLIENT_ID, SALESFORCE_CLIENT_SECRET: FAKE_CLIENT_SECRET });
  await loadFixtureBook(t.db.sql);
  await computeBook(t.db.sql, { full: true, kind: t.db.kind });
  for (const r of await t.db.sql<{ id: number; code: string }[]>`select id, client_code as code from clients`) ids[r.code] = r.id;
  await t.db.sql`update clients set salesforce_account_id = ${accounts.TC1!} where client_code = 'TC1'`;
  await t.db.sql`update clients set salesforce_account_id = ${accounts.TC2!} where client_code = 'TC2'`;
  await t.db.sql`update clients set salesforce_account_id = '001000000000404AAA' where client_code = 'TC3'`;
}, 60_000);
afterAll(async () => {
  await t?.close();
  await fake?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('report packs attached to Salesforce Accounts', () => {
  it('attaches each client\'s month-end report as a multipart ContentVersion; one client\'s failure does not stop the pack', async () => {
    const res = await post({ periodEnd: '2024-11-30', wait: true });
    const run = await json(res);
    expect(res.status, JSON.stringify(run)).toBe(200);
    expect(run).toMatchObject({ status: 'partial', periodEnd: '2024-11-30', total: 3, attached: 2, skipped: 0, failed: 1 });

    // Two clients are handled at a time (pack.concurrency): compare in client order.
    const files = [...fake.org.files.values()].sort((a, b) => (a.pathOnClient! < b.pathOnClient! ? -1 : 1));
    expect(files.map((f) => [f.firstPublishLocationId, f.title, f.pathOnClient])).toEqual([
      [accounts.TC1, 'Performance Report Nov 2024 – Client TC1 (TC1)', 'performance-report-TC1-2024-11-30.pdf'],
      [accounts.TC2, 'Performance Report Nov 2024 – Client TC2 (TC2)', 'performance-report-TC2-2024-11-30.pdf'],
    ]);
    for (const f of files) {
      expect(f.upload).toMatchObject({ kind: 'multipart', jsonPartName: 'entity_content', binaryPartName: 'VersionData', contentType: 'application/pdf' });
      expect(f.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    }
    expect(fake.requests.filter((r) => r.method === 'POST' && r.pathname.endsWith('/sobjects/ContentVersion')).map((r) => r.contentType?.split(';')[0])).toEqual([
      'multipart/form-data',
      'multipart/form-data',
      'multipart/form-data',
    ]);

    // The attached PDF is the report as of the month-end: the last valuation on or before 30 Nov 2024 (Fri 29 Nov).
    fs.writeFileSync(path.join(tmp, 'tc1.pdf'), files[0]!.bytes);
    const text = execFileSync('pdftotext', ['-layout', path.join(tmp, 'tc1.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('29-Nov-2024');
    expect(text).toContain('01-Nov-2024 to 30-Nov-2024'); // flows and transactions: the calendar month

    const detail = await json(await t.app.request(`/api/reports/runs/${run.id}`, { headers: t.auth() }));
    expect(detail.items.map((i: { clientCode: string; status: string; attempts: number }) => [i.clientCode, i.status, i.attempts])).toEqual([
      ['TC1', 'attached', 1],
      ['TC2', 'attached', 1],
      ['TC3', 'failed', 1],
    ]);
    expect(detail.items[2].error).toMatch(/^INVALID_CROSS_REFERENCE_KEY/);
    expect(detail.items[0].contentVersionId).toBe(files[0]!.contentVersionId);
  });

  it('does not attach a report twice on a re-run; the failed client is tried again', async () => {
    const again = await json(await post({ periodEnd: '2024-11-30', wait: true }));
    expect(again).toMatchObject({ status: 'partial', attached: 0, skipped: 2, failed: 1 });
    expect(fake.org.files.size).toBe(2);
    const detail = await json(await t.app.request(`/api/reports/runs/${again.id}`, { headers: t.auth() }));
    expect(detail.items.map((i: { status: string; reason: string | null }) => [i.status, i.reason])).toEqual([
      ['skipped', 'already attached'],
      ['skipped', 'already attached'],
      ['failed', null],
    ]);
    const list = await json(await t.app.request('/api/reports/runs', { headers: t.auth() }));
    expect(list.items.map((r: { id: number; trigger: string }) => [r.id, r.trigger])).toEqual([
      [again.id, 'manual'],
      [again.id - 1, 'manual'],
    ]);
  });

  it('an RM starts a pack for their own book only', async () => {
    await t.createUser({ email: 'rm2@pms.example', role: 'rm', rmCode: 'TR2', password: 'a-long-password-1' });
    const s = await t.login('rm2@pms.example', 'a-long-password-1');
    const res = await t.app.request('/api/reports/runs', {
      method: 'POST',
      headers: { ...s.headers(), 'content-type': 'application/json' },
      body: JSON.stringify({ periodEnd: '2024-10-31', wait: true }),
    });
    const run = await json(res);
    expect(res.status, JSON.stringify(run)).toBe(200);
    // TR2's book is TC2 and TC3 (TC1 is TR1's): TC2 attached, TC3 rejected by the org.
    expect(run).toMatchObject({ total: 2, attached: 1, failed: 1 });
    expect([...fake.org.files.values()].at(-1)!.title).toBe('Performance Report Oct 2024 – Client TC2 (TC2)');
  });

  it('the scheduled job runs in a worker thread on the 5th working day and attaches the last month-end\'s reports', async () => {
    // 2025-01-07 is the 5th working day of January 2025 (Wed 1 … Tue 7) → period end 2024-12-31.
    const job = await startReportPackJob(t.deps, { today: '2025-01-07' });
    try {
      await job!.runNow();
    } finally {
      await job!.stop();
    }
    const [run] = await t.db.sql`select trigger, period_end::text as "periodEnd", status, attached, failed from report_runs order by id desc limit 1`;
    expect(run).toEqual({ trigger: 'schedule', periodEnd: '2024-12-31', status: 'partial', attached: 2, failed: 1 });
    expect([...fake.org.files.values()].filter((f) => f.title.startsWith('Performance Report Dec 2024')).map((f) => f.firstPublishLocationId).sort()).toEqual([accounts.TC1, accounts.TC2].sort());
  }, 60_000);

  it('derives past month-end figures from the stored series exactly as the analytics worker stores them', async () => {
    // At the entity's own as-of date both paths exist: the stored snapshot and the derivation used for earlier dates.
    const stored = await entityPerformance(t.db.sql, 'client', ids.TC1!);
    const derived = await entityPerformance(t.db.sql, 'client', ids.TC1!, undefined, { stored: false });
    expect(derived.periods.map((p) => p.period)).toEqual(stored.periods.map((p) => p.period));
    derived.periods.forEach((d, i) => {
      const s = stored.periods[i]!;
      for (const k of ['twrr', 'reportedReturn', 'benchmarkReported', 'excessReturn', 'annualVolatility', 'sharpe', 'beta'] as const) expect(d[k]).toBeCloseTo(s[k] as number, 12);
      if (s.xirr === null) expect(d.xirr).toBeNull();
      else expect(d.xirr).toBeCloseTo(s.xirr, 9);
      expect(Number(d.closingValue)).toBe(Number(s.closingValue));
    });
  });
});
