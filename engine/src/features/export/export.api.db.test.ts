import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { computeBook } from '../analytics/book-compute.js';
import { loadFixtureBook } from '../analytics/testing/book-fixture.js';
import ExcelJS from 'exceljs';
import { formatInr, formatInrShort, formatPct } from '../../reports/format.js';
import { INR_FORMAT } from '../../reports/xlsx.js';

// The analytics feature's demo-like fixture book (TC1–TC3, TP1–TP5, 2023-01-02..2024-12-31, seed 42) computed by
// computeBook, plus a holdings snapshot for TC1 and fees on TP1. Every figure the tests expect in a PDF is read from
// the API for the same client and period, then looked for in the PDF's text (pdftotext -layout).

let t: TestApp;
/** Pages of the long report as laid out by pdfmake 0.3.9: cover, charts, portfolios, the 300-row listing over 8 pages (about 40 rows a page, the first shared with flows), fees and methodology. */
const LONG_REPORT_PAGES = 11;
let tc1 = 0;
let tc2 = 0;
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pms-export-'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (r: Response): Promise<any> => r.json();

function pdfText(bytes: Buffer, name: string): string {
  const file = path.join(out, `${name}.pdf`);
  fs.writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}
const pages = (text: string) => text.split('\f').filter((p) => p.trim().length > 0);

beforeAll(async () => {
  t = await createTestApp();
  const sql = t.db.sql;
  await loadFixtureBook(sql);
  await sql`insert into securities (security_key, isin, name, asset_class, sector) values
    ('INE002A01018', 'INE002A01018', 'Reliance Industries Ltd', 'Equity', 'Energy'),
    ('INE040A01034', 'INE040A01034', 'HDFC Bank Ltd', 'Equity', 'Financials'),
    ('INE009A01021', 'INE009A01021', 'Infosys Ltd', 'Equity', 'Information Technology'),
    ('IN0020230085', 'IN0020230085', '7.18% GOI 2033', 'Debt', 'Government')`;
  await sql`insert into holdings (portfolio_id, as_of_date, security_id, quantity, market_value)
    select p.id, '2024-12-31', s.id, q, v from (values
      ('TP1', 'INE002A01018', 1500, 1925000.00), ('TP1', 'INE040A01034', 2200, 3890000.50), ('TP1', 'INE009A01021', 900, 1702000.25),
      ('TP2', 'IN0020230085', 40000, 4105000.00)) x(pc, isin, q, v)
    join portfolios p on p.portfolio_code = x.pc join securities s on s.isin = x.isin`;
  await sql`update portfolios set performance_fee_rate = 0.2, management_fee_rate = 0.015 where portfolio_code = 'TP1'`;
  await sql`insert into transactions (portfolio_id, source_key, trade_date, type_code, classification, net_amount, service_tax)
    select id, 'MGF-DEC', '2024-12-31', 'MGF', 'fee', -45123.45, 6883.24 from portfolios where portfolio_code = 'TP1'`;
  await computeBook(sql, { full: true, kind: t.db.kind });
  const ids = await sql<{ id: number }[]>`select id from clients where client_code in ('TC1', 'TC2') order by client_code`;
  [tc1, tc2] = [ids[0]!.id, ids[1]!.id];
}, 60_000);
afterAll(async () => {
  await t?.close();
  if (!process.env.KEEP_TEST_REPORTS) fs.rmSync(out, { recursive: true, force: true });
});

describe('GET /api/export/pdf?report=client', () => {
  it('prints the figures the API serves for the same client, a footer on every page, and opens as PNG', async () => {
    const res = await t.app.request(`/api/export/pdf?report=client&clientId=${tc1}&from=2024-12-01&to=2024-12-31`, { headers: t.auth() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="performance-report-TC1-2024-12-31.pdf"');
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = pdfText(bytes, 'client-TC1');

    const client = await json(await t.app.request(`/api/clients/${tc1}?period=1Y`, { headers: t.auth() }));
    const si = await json(await t.app.request(`/api/performance?scope=client&id=${tc1}&period=SI`, { headers: t.auth() }));
    const oneYear = await json(await t.app.request(`/api/performance?scope=client&id=${tc1}&period=1Y`, { headers: t.auth() }));
    expect(text).toContain('Client Performance Report');
    expect(text).toContain('Client TC1 (TC1)');
    expect(text).toContain('Head RM (TR1)');
    expect(text).toContain('31-Dec-2024');
    expect(text).toContain(formatInr(client.aum)); // portfolio value = the API's AUM, to the paisa
    expect(text).toContain(formatPct(si.figures.reportedReturn)); // TWRR since inception (annualised: > 1 year)
    expect(text).toContain(formatPct(si.figures.xirr));
    expect(text).toContain(formatPct(si.figures.benchmarkReported));
    expect(text).toMatch(new RegExp(`1 year\\s+31-Dec-2023 – 31-Dec-2024\\s+Annualised\\s+${formatPct(oneYear.figures.reportedReturn).replace('.', '\\.')}`));
    expect(text).toMatch(/Month to date\s+30-Nov-2024 – 31-Dec-2024\s+Absolute/);
    expect(text).toContain('HDFC Bank Ltd');
    expect(text).toContain('₹38,90,000.50');
    expect(text).toContain('Management fee (MGF)');
    expect(text).toContain('₹45,123.45');
    expect(text).toContain('High-water mark');

    const list = pages(text);
    expect(list.length).toBeGreaterThanOrEqual(3);
    list.forEach((page, i) => {
      expect(page).toContain(`Page ${i + 1} of ${list.length}`);
      expect(page).toContain('SEBI Registration No. INP000009999');
      expect(page).toMatch(/Generated \d{2}-[A-Z][a-z]{2}-\d{4} \d{2}:\d{2} IST/);
    });

    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '2', path.join(out, 'client-TC1.pdf'), path.join(out, 'client-TC1')]);
    const pngs = fs.readdirSync(out).filter((f) => f.startsWith('client-TC1') && f.endsWith('.png'));
    expect(pngs).toHaveLength(2);
    for (const f of pngs) expect(fs.readFileSync(path.join(out, f)).subarray(1, 4).toString()).toBe('PNG');
  });

  it('breaks a long transaction list across pages with the header row repeated on each', async () => {
    // 300 buys for TC2 in December 2024 (TP3): the listing alone needs several pages.
    await t.db.sql`insert into transactions (portfolio_id, source_key, trade_date, type_code, classification, description, quantity, rate, net_amount)
      select p.id, 'LONG' || i, date '2024-12-01' + (i % 31), 'BY-', 'trade', 'Buy lot ' || i, 10 + i, 1234.5, (10 + i) * 1234.5
      from portfolios p, generate_series(1, 300) i where p.portfolio_code = 'TP3'`;
    const res = await t.app.request(`/api/export/pdf?report=client&clientId=${tc2}&asOf=2024-12-31`, { headers: t.auth() });
    expect(res.status).toBe(200);
    const list = pages(pdfText(Buffer.from(await res.arrayBuffer()), 'client-TC2-long'));
    const withListing = list.filter((p) => p.includes('Buy lot'));
    expect(withListing).toHaveLength(8);
    for (const p of withListing) expect(p).toMatch(/Date\s+Portfolio\s+Type\s+Security \/ description\s+Quantity\s+Rate\s+Amount/);
    expect(list.join('\n')).toContain('Buy lot 300');
    expect(list.join('\n')).toContain('₹3,82,695.00'); // lot 300: 310 × 1,234.50
    list.forEach((page, i) => expect(page).toContain(`Page ${i + 1} of ${list.length}`));
    expect(list).toHaveLength(LONG_REPORT_PAGES);
    await t.db.sql`delete from transactions where source_key like 'LONG%'`;
  });

  it('answers 404 and audits access.denied for a client outside an RM\'s book', async () => {
    await t.createUser({ email: 'rm2@pms.example', role: 'rm', rmCode: 'TR2', password: 'a-long-password-1' });
    const s = await t.login('rm2@pms.example', 'a-long-password-1');
    const denied = await t.app.request(`/api/export/pdf?report=client&clientId=${tc1}`, { headers: s.headers(false) });
    expect(denied.status).toBe(404);
    const [entry] = await t.db.sql`select action, resource, client_ids from audit_log where action = 'access.denied' and resource = 'export.pdf' order by id desc limit 1`;
    expect(entry).toMatchObject({ action: 'access.denied', resource: 'export.pdf', client_ids: [tc1] });
    const own = await t.app.request(`/api/export/pdf?report=client&clientId=${tc2}`, { headers: s.headers(false) });
    expect(own.status).toBe(200);
    const [ok] = await t.db.sql`select action, resource, client_ids from audit_log where action = 'export.pdf' order by id desc limit 1`;
    expect(ok).toMatchObject({ resource: `client:${tc2}`, client_ids: [tc2] });
  });
});

describe('GET /api/export/xlsx', () => {
  it('streams the clients view with typed cells under the filters of GET /api/clients', async () => {
    const res = await t.app.request('/api/export/xlsx?view=clients&sort=aum&order=desc&period=1Y', { headers: t.auth() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const api = await json(await t.app.request('/api/clients?sort=aum&order=desc&period=1Y', { headers: t.auth() }));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.getWorksheet('Clients')!;
    expect(ws.getRow(4).getCell(1).value).toBe('Client code');
    const rows = [5, 6, 7].map((n) => ws.getRow(n));
    expect(rows.map((r) => r.getCell(1).value)).toEqual(api.items.map((i: { clientCode: string }) => i.clientCode));
    const first = rows[0]!;
    expect(first.getCell(13).value).toBe(Number(api.items[0].aum)); // AUM: a number, not text
    // exceljs's reader drops the backslashes of the literal commas (\\,) that the written styles.xml keeps
    expect(first.getCell(13).numFmt).toBe(INR_FORMAT.replaceAll('\\', ''));
    expect(first.getCell(14).value).toEqual(new Date(`${api.items[0].aumAsOf}T00:00:00Z`)); // a date
    expect(first.getCell(14).numFmt).toBe('dd-mmm-yyyy');
    expect(first.getCell(15).value).toBe(api.items[0].return);
    expect(first.getCell(15).numFmt).toBe('0.00%');
    expect(ws.getRow(8).getCell(1).value).toBeNull();
    const [entry] = await t.db.sql`select resource from audit_log where action = 'export.xlsx' order by id desc limit 1`;
    expect(entry).toMatchObject({ resource: 'clients' });
  });

  it('lists one client\'s transactions and refuses a client outside the caller\'s scope', async () => {
    const res = await t.app.request(`/api/export/xlsx?view=transactions&clientId=${tc1}&from=2024-12-31&to=2024-12-31`, { headers: t.auth() });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.getWorksheet('Transactions')!;
    expect(ws.getRow(5).values).toEqual([undefined, new Date('2024-12-31T00:00:00Z'), undefined, 'TP1', 'MGF', 'fee', undefined, undefined, undefined, undefined, undefined, -45123.45]);
    const s = await t.login('rm2@pms.example', 'a-long-password-1');
    expect((await t.app.request(`/api/export/xlsx?view=transactions&clientId=${tc1}`, { headers: s.headers(false) })).status).toBe(404);
  });
});

describe('GET /api/export/pdf: executive, rm-book, sebi', () => {
  it('executive summary carries the executive dashboard\'s AUM and 1-year flows for the same book', async () => {
    const res = await t.app.request('/api/export/pdf?report=executive', { headers: t.auth() });
    expect(res.status).toBe(200);
    const text = pdfText(Buffer.from(await res.arrayBuffer()), 'executive');
    const dash = await json(await t.app.request('/api/dashboard/executive?period=1Y', { headers: t.auth() }));
    expect(text).toContain('Executive Summary');
    expect(text).toContain(formatInr(dash.figures.aum));
    expect(text).toContain(`${dash.figures.clients} (${dash.figures.activeClients})`);
    expect(text).toContain(formatInrShort(dash.figures.netFlows));
    const list = pages(text);
    list.forEach((page, i) => expect(page).toContain(`Page ${i + 1} of ${list.length}`));
  });

  it('RM book: an RM exports their own book and gets 404 for another RM\'s', async () => {
    const s = await t.login('rm2@pms.example', 'a-long-password-1');
    const rms = await t.db.sql<{ id: number }[]>`select id from relationship_managers where rm_code in ('TR1', 'TR2') order by rm_code`;
    const [tr1, tr2] = [rms[0]!.id, rms[1]!.id];
    const res = await t.app.request(`/api/export/pdf?report=rm-book&rmId=${tr2}`, { headers: s.headers(false) });
    expect(res.status).toBe(200);
    const text = pdfText(Buffer.from(await res.arrayBuffer()), 'rm-book');
    const api = await json(await t.app.request('/api/clients?sort=aum&order=desc', { headers: s.headers(false) }));
    expect(api.items.map((c: { clientCode: string }) => c.clientCode).sort()).toEqual(['TC2', 'TC3']);
    for (const c of api.items) {
      expect(text).toContain(`${c.name} (${c.clientCode})`);
      expect(text).toContain(formatInr(c.aum));
      expect(text).toContain(formatPct(c.return));
    }
    expect(text).not.toContain('Client TC1');
    expect((await t.app.request(`/api/export/pdf?report=rm-book&rmId=${tr1}`, { headers: s.headers(false) })).status).toBe(404);
    const [denied] = await t.db.sql`select resource from audit_log where action = 'access.denied' order by id desc limit 1`;
    expect(denied).toMatchObject({ resource: `rm:${tr1}` });
  });

  it('SEBI disclosure prints the compliance table; an RM may not export it', async () => {
    const res = await t.app.request('/api/export/pdf?report=sebi', { headers: t.auth() });
    expect(res.status).toBe(200);
    const text = pdfText(Buffer.from(await res.arrayBuffer()), 'sebi');
    const { rows } = await json(await t.app.request('/api/compliance/disclosure', { headers: t.auth() }));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(text).toContain(`(${r.strategyCode})`);
      if (r.periods['1Y'].return !== null) expect(text).toContain(formatPct(r.periods['1Y'].return));
    }
    const s = await t.login('rm2@pms.example', 'a-long-password-1');
    expect((await t.app.request('/api/export/pdf?report=sebi', { headers: s.headers(false) })).status).toBe(403);
  });
});
