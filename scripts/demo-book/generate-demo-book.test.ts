import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateDemoBook, type DemoBookFile, type DemoBookKind } from './generate-demo-book.js';
import { CASH_SIGN, FEE_CODES, FLOW_SIGN, QTY_SIGN, isoDate, paise, readCsv, type Row } from './read-book.js';
import { readSeries, FILES } from './market.js';
import { isValidIsin } from './reference-data.js';

const ROOT = join(import.meta.dirname, '..', '..');
const mappings = JSON.parse(readFileSync(join(ROOT, 'config', 'import-mappings.json'), 'utf8')) as {
  transactionCodes: Record<string, unknown>;
  kinds: Record<string, { filePattern: string; columns: Record<string, { headers: string[]; required?: boolean; values?: string[] }> }>;
};
const OPTS = { seed: 7, clients: 30, from: '2023-01-01', to: '2024-09-30' };

let dirA: string;
let dirB: string;
let dirC: string;
let book: Awaited<ReturnType<typeof generateDemoBook>>;
const file = (k: DemoBookKind): DemoBookFile => book.files.find((f) => f.kind === k)!;

beforeAll(async () => {
  dirA = mkdtempSync(join(tmpdir(), 'demo-book-a-'));
  dirB = mkdtempSync(join(tmpdir(), 'demo-book-b-'));
  dirC = mkdtempSync(join(tmpdir(), 'demo-book-c-'));
  book = await generateDemoBook({ outDir: dirA, ...OPTS });
  // a second run "years later": nothing in the files may depend on the clock (XLSX zip entries included)
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2031-07-15T10:11:12Z'));
  try {
    await generateDemoBook({ outDir: dirB, ...OPTS });
  } finally {
    vi.useRealTimers();
  }
  await generateDemoBook({ outDir: dirC, ...OPTS, seed: 8 });
}, 60_000);

afterAll(() => {
  for (const d of [dirA, dirB, dirC]) rmSync(d, { recursive: true, force: true });
});

const norm = (h: string): string => h.toLowerCase().replace(/[^a-z0-9%]/g, '');

async function headersOf(f: DemoBookFile): Promise<string[]> {
  if (f.path.endsWith('.xlsx')) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(f.path);
    const values = wb.worksheets[0]!.getRow(1).values as unknown[];
    return values.slice(1).map(String);
  }
  return readCsv(f.path).headers;
}

async function clientRows(): Promise<Record<string, unknown>[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file('clients').path);
  const ws = wb.worksheets[0]!;
  const headers = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, unknown>[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const v = (row.values as unknown[]).slice(1);
    rows.push(Object.fromEntries(headers.map((h, i) => [h, v[i]])));
  });
  return rows;
}

describe('demo book', () => {
  it('lists the eight kinds in import dependency order, with file names matching each filePattern', () => {
    expect(book.files.map((f) => f.kind)).toEqual(['benchmark-values', 'relationship-managers', 'clients', 'portfolios', 'transactions', 'capital-flows', 'holdings', 'valuations']);
    const orders = book.files.map((f) => (mappings.kinds[f.kind] as unknown as { order: number }).order);
    expect([...orders].sort((a, b) => a - b)).toEqual(orders);
    for (const f of book.files) {
      expect(new RegExp(mappings.kinds[f.kind]!.filePattern, 'i').test(basename(f.path)), f.path).toBe(true);
      expect(f.rows).toBeGreaterThan(0);
    }
  });

  it('is deterministic: same seed, byte-identical files (whatever the clock says); another seed, different book', () => {
    for (const f of book.files) {
      const a = readFileSync(f.path);
      expect(a.equals(readFileSync(join(dirB, basename(f.path)))), basename(f.path)).toBe(true);
    }
    expect(readFileSync(file('transactions').path).equals(readFileSync(join(dirC, 'transaction_statement.csv')))).toBe(false);
  });

  it('writes headers the import mappings accept, with every required column', async () => {
    for (const f of book.files) {
      const kind = mappings.kinds[f.kind]!;
      const headers = await headersOf(f);
      const covered = new Set<string>();
      for (const h of headers) {
        const cols = Object.entries(kind.columns).filter(([, c]) => c.headers.some((x) => norm(x) === norm(h)));
        expect(cols.length, `${f.kind}: header "${h}"`).toBe(1);
        covered.add(cols[0]![0]);
      }
      for (const [name, c] of Object.entries(kind.columns)) if (c.required) expect(covered.has(name), `${f.kind}: required ${name}`).toBe(true);
    }
  });

  it('uses transaction codes from the mapping, enum values from the mapping, unique reference numbers, exact trade arithmetic', () => {
    const codes = new Set(Object.values(mappings.transactionCodes).flatMap((v) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [])));
    const { rows } = readCsv(file('transactions').path);
    const refs = new Set<string>();
    const seen = new Set<string>();
    for (const r of rows) {
      expect(codes.has(r.tran_type!), r.tran_type).toBe(true);
      seen.add(r.tran_type!);
      expect(refs.has(r.txn_ref_no!)).toBe(false);
      refs.add(r.txn_ref_no!);
      expect(r.trandate).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
      if (r.tran_type === 'BY-' || r.tran_type === 'SL+') {
        const gross = Number(r.qty) * paise(r.rate)!;
        const fee = paise(r.total_trxnfee)!;
        expect(paise(r.net_amount)).toBe(r.tran_type === 'BY-' ? gross + fee : gross - fee);
        expect(isValidIsin(r.isin!), r.isin).toBe(true);
      }
      if (r.tran_type === 'OPI' || r.tran_type === 'OPO') expect(r.descmemo).toBe('Change in Asset type');
    }
    for (const c of ['CS+', 'BY-', 'SL+', 'IN1', 'MGF', 'CUS', 'CS-']) expect(seen.has(c), c).toBe(true);
    const pm = readCsv(file('portfolios').path).rows;
    const statusValues = mappings.kinds.portfolios!.columns.status!.values!;
    for (const p of pm) expect(statusValues).toContain(p.status);
  });

  it('writes client PANs in a valid format (4th character P for individuals), risk profiles from the enum, real date cells', async () => {
    const rows = await clientRows();
    expect(rows.length).toBe(30);
    const risk = mappings.kinds.clients!.columns.risk_profile!.values!;
    const pans = new Set<string>();
    for (const r of rows) {
      const pan = String(r['PAN No']);
      expect(pan).toMatch(/^[A-Z]{3}[PCHFATBLJG][A-Z]\d{4}[A-Z]$/);
      if (!/HUF|Ltd|Trust|LLP|& Co/.test(String(r['Client Name']))) expect(pan[3]).toBe('P');
      pans.add(pan);
      expect(risk).toContain(r['Risk Profile']);
      expect(r['Activation Date']).toBeInstanceOf(Date);
      expect(String(r['Client Code'])).toMatch(/^C\d{6}$/);
    }
    expect(pans.size).toBe(rows.length);
  });

  it('links every capital register row to the transaction with the same reference, and every external flow has one', () => {
    const tx = readCsv(file('transactions').path).rows;
    const cap = readCsv(file('capital-flows').path).rows;
    const byRef = new Map(tx.map((r) => [r.txn_ref_no!, r]));
    for (const c of cap) {
      const t = byRef.get(c['Reference No']!);
      expect(t, c['Reference No']).toBeDefined();
      expect(t!.ws_account_code).toBe(c['Account Code']);
      expect(t!.tran_type).toBe(c.Type);
      expect(t!.net_amount).toBe(c.Amount);
      expect(t!.trandate).toBe(c.Date);
      expect(c.Mode).toBe(c.Type === 'PSI' || c.Type === 'PSO' ? 'Securities' : 'Cash');
    }
    expect(cap.length).toBe(tx.filter((t) => FLOW_SIGN[t.tran_type!] !== undefined).length);
  });

  it('keeps valuations consistent with the transaction feed: cash ledger to the paisa, flows and fees explain V, returns follow the market', () => {
    const tx = readCsv(file('transactions').path).rows;
    const vals = readCsv(file('valuations').path).rows;
    const pm = new Map(readCsv(file('portfolios').path).rows.map((r) => [r.ws_account_code!, r]));
    const nifty = readSeries(FILES.nifty);
    const niftyRet = new Map<string, number>();
    nifty.dates.forEach((d, i) => i > 0 && niftyRet.set(d, nifty.values[i]! / nifty.values[i - 1]! - 1));
    const calendar = new Set(nifty.dates);

    const txByPf = new Map<string, Map<string, Row[]>>();
    for (const t of tx) {
      const m = txByPf.get(t.ws_account_code!) ?? new Map<string, Row[]>();
      const d = isoDate(t.trandate!);
      m.set(d, [...(m.get(d) ?? []), t]);
      txByPf.set(t.ws_account_code!, m);
    }
    const valsByPf = new Map<string, Row[]>();
    for (const v of vals) valsByPf.set(v.ws_account_code!, [...(valsByPf.get(v.ws_account_code!) ?? []), v]);
    expect(valsByPf.size).toBe(pm.size);

    let checkedDays = 0;
    for (const [code, vs] of valsByPf) {
      const days = txByPf.get(code)!;
      const p = pm.get(code)!;
      expect(isoDate(vs[0]!.valuation_date!)).toBe(isoDate(p.inception_date!));
      let cash = 0;
      let prevV = 0;
      const pr: number[] = [];
      const br: number[] = [];
      for (const v of vs) {
        const d = isoDate(v.valuation_date!);
        expect(calendar.has(d), d).toBe(true);
        let flows = 0;
        let fees = 0;
        for (const t of days.get(d) ?? []) {
          const amt = paise(t.net_amount)!;
          cash += CASH_SIGN[t.tran_type!]! * amt;
          flows += (FLOW_SIGN[t.tran_type!] ?? 0) * amt;
          if (FEE_CODES.has(t.tran_type!)) fees += amt;
        }
        expect(paise(v.cash_balance), `${code} cash on ${d}`).toBe(cash);
        const value = paise(v.market_value)!;
        // V_t = V_{t-1} + gain_t + CF_t - fees_t: the implied market return (flows at the start of the day) is sane
        const gain = value - prevV - flows + fees;
        const base = prevV + flows;
        const r = gain / base;
        expect(Math.abs(r), `${code} implied return on ${d}`).toBeLessThan(0.15);
        if (prevV > 0 && niftyRet.has(d)) {
          pr.push(r);
          br.push(niftyRet.get(d)!);
        }
        prevV = value;
        checkedDays++;
      }
      if (p.strategy_code === 'LCE' && pr.length > 100) {
        const mean = (x: number[]): number => x.reduce((a, b) => a + b, 0) / x.length;
        const mp = mean(pr);
        const mb = mean(br);
        let cov = 0;
        let vp = 0;
        let vb = 0;
        pr.forEach((x, i) => {
          cov += (x - mp) * (br[i]! - mb);
          vp += (x - mp) ** 2;
          vb += (br[i]! - mb) ** 2;
        });
        expect(cov / Math.sqrt(vp * vb), `${code} correlation with NIFTY 50 TRI`).toBeGreaterThan(0.8);
        const beta = cov / vb;
        expect(beta).toBeGreaterThan(0.6);
        expect(beta).toBeLessThan(1.4);
      }
    }
    expect(checkedDays).toBe(vals.length);
  });

  it('holdings sum exactly to the market value on every snapshot date and match the positions in the feed', () => {
    const tx = readCsv(file('transactions').path).rows;
    const hold = readCsv(file('holdings').path).rows;
    const vals = new Map(readCsv(file('valuations').path).rows.map((v) => [`${v.ws_account_code}|${isoDate(v.valuation_date!)}`, v]));
    const snaps = new Map<string, Row[]>();
    for (const h of hold) {
      expect(h['As On Date']).toMatch(/^\d{2}-[A-Z][a-z]{2}-\d{4}$/);
      const k = `${h['Account Code']}|${isoDate(h['As On Date']!)}`;
      snaps.set(k, [...(snaps.get(k) ?? []), h]);
    }
    expect(snaps.size).toBeGreaterThan(0);
    const dates = new Set([...snaps.keys()].map((k) => k.split('|')[1]));
    expect(dates.has(book.asOf)).toBe(true);
    for (const [k, rows] of snaps) {
      const [code, d] = k.split('|') as [string, string];
      const v = vals.get(k);
      expect(v, k).toBeDefined();
      let sum = 0;
      let cashLine = 0;
      for (const h of rows) {
        const mv = paise(h['Market Value'])!;
        expect(Number(h['Holding Qty']) * paise(h['Market Rate'])!).toBe(mv);
        if (h['Asset Class'] === 'Cash') cashLine += mv;
        else expect(isValidIsin(h['ISIN Code']!), h['ISIN Code']).toBe(true);
        sum += mv;
      }
      expect(sum, k).toBe(paise(v!.market_value));
      expect(cashLine, k).toBe(paise(v!.cash_balance));
      // replay the feed's quantities up to the snapshot date
      const qty = new Map<string, number>();
      for (const t of tx) {
        if (t.ws_account_code !== code || isoDate(t.trandate!) > d) continue;
        const s = QTY_SIGN[t.tran_type!];
        if (s !== undefined) qty.set(t.isin!, (qty.get(t.isin!) ?? 0) + s * Number(t.qty));
      }
      const held = new Map(rows.filter((h) => h['Asset Class'] !== 'Cash').map((h) => [h['ISIN Code']!, Number(h['Holding Qty'])]));
      for (const [isin, q] of qty) expect(q, `${k} ${isin}`).toBe(held.get(isin) ?? 0);
      const n = held.size;
      if (d !== book.asOf || n > 0) expect(n).toBeLessThanOrEqual(25);
    }
    // live portfolios hold 10-25 securities at the last date
    const last = [...snaps.entries()].filter(([k]) => k.endsWith(`|${book.asOf}`));
    expect(last.length).toBeGreaterThan(0);
    for (const [, rows] of last) expect(rows.length - 1).toBeGreaterThanOrEqual(8);
  });

  it('has at least one fully redeemed client: final CS- of the whole value, valuations stop, status Closed', async () => {
    const clients = await clientRows();
    const closed = clients.filter((c) => c['Client Status'] === 'Closed');
    expect(closed.length).toBeGreaterThanOrEqual(1);
    const pm = readCsv(file('portfolios').path).rows;
    const tx = readCsv(file('transactions').path).rows;
    const vals = readCsv(file('valuations').path).rows;
    for (const c of closed) {
      const pfs = pm.filter((p) => p.client_code === c['Client Code']);
      expect(pfs.length).toBeGreaterThan(0);
      for (const p of pfs) {
        expect(p.status).toBe('Closed');
        const closedDate = isoDate(p.closed_date!);
        const pv = vals.filter((v) => v.ws_account_code === p.ws_account_code);
        const lastV = pv[pv.length - 1]!;
        expect(isoDate(lastV.valuation_date!) < closedDate).toBe(true);
        const ptx = tx.filter((t) => t.ws_account_code === p.ws_account_code);
        const final = ptx[ptx.length - 1]!;
        expect(final.tran_type).toBe('CS-');
        expect(isoDate(final.trandate!)).toBe(closedDate);
        expect(final.net_amount).toBe(lastV.market_value);
        expect(lastV.cash_balance).toBe(lastV.market_value);
      }
    }
  });

  it('writes benchmark values for every index of config/benchmarks.json, liquid proxy only after the unit change', () => {
    const bm = JSON.parse(readFileSync(join(ROOT, 'config', 'benchmarks.json'), 'utf8')) as { indices: { code: string }[] };
    const rows = readCsv(file('benchmark-values').path).rows;
    for (const i of bm.indices) expect(rows.some((r) => r.index_code === i.code), i.code).toBe(true);
    const liquid = rows.filter((r) => r.index_code === 'LIQUID_PROXY');
    expect(liquid[0]!.date! >= '2015-08-30').toBe(true);
    expect(rows.every((r) => r.date! <= book.asOf)).toBe(true);
  });
});
