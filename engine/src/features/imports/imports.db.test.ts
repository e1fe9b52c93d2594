import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../db/testing/test-db.js';
import { ImportRejectedError } from '../../lib/errors.js';
import type { ImportKind } from '../../connectors/wealth-spectrum/mapping.js';
import { runImport, type ImportDeps } from './run-import.js';
import { fixture, importDeps, importOkBook } from './test-helpers.js';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let deps: ImportDeps;

beforeAll(async () => {
  db = await createTestDatabase();
  deps = await importDeps(db);
});
afterAll(() => db?.close());

async function tableCounts() {
  const [row] = await db.sql`select
    (select count(*)::int from relationship_managers) rms, (select count(*)::int from clients) clients,
    (select count(*)::int from portfolios) portfolios, (select count(*)::int from transactions) transactions,
    (select count(*)::int from capital_flows) flows, (select count(*)::int from holdings) holdings,
    (select count(*)::int from valuations) valuations, (select count(*)::int from index_values) index_values,
    (select count(*)::int from securities) securities`;
  return row;
}

async function rejection(kind: ImportKind, file: string, d = deps): Promise<ImportRejectedError> {
  const err = await runImport(d, { kind, filePath: fixture(file), source: 'cli' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImportRejectedError);
  return err as ImportRejectedError;
}

describe('importing the good fixture book', () => {
  it('loads every kind with exact counts and values', async () => {
    const runs = await importOkBook(deps);
    expect(runs.map((r) => [r.kind, r.status, r.rowsTotal, r.inserted, r.updated, r.unchanged])).toEqual([
      ['benchmark-values', 'succeeded', 5, 5, 0, 0],
      ['relationship-managers', 'succeeded', 3, 3, 0, 0],
      ['clients', 'succeeded', 3, 3, 0, 0],
      ['clients', 'succeeded', 1, 1, 0, 0],
      ['portfolios', 'succeeded', 4, 4, 0, 0],
      ['transactions', 'succeeded', 16, 16, 0, 0],
      ['capital-flows', 'succeeded', 4, 4, 0, 0],
      ['holdings', 'succeeded', 3, 3, 0, 0],
      ['valuations', 'succeeded', 5, 5, 0, 0],
    ]);
    expect(runs[0]!.fileSha256).toMatch(/^[0-9a-f]{64}$/);

    const [c] = await db.sql`select c.name, c.pan, c.risk_profile, c.onboarding_date::text, c.status, c.email, rm.rm_code
                             from clients c join relationship_managers rm on rm.id = c.rm_id where client_code = 'C000102'`;
    expect(c).toEqual({ name: 'Meera Nair', pan: 'BCDPN2345G', risk_profile: 'Moderate', onboarding_date: '2021-07-02', status: 'Active', email: null, rm_code: 'RM003' });
    const [w] = await db.sql`select name, onboarding_date::text from clients where client_code = 'C000104'`;
    expect(w).toEqual({ name: 'Zoë D’Souza', onboarding_date: '2023-03-01' }); // Windows-1252 decoded
    const [mgr] = await db.sql`select m.rm_code from relationship_managers r join relationship_managers m on m.id = r.manager_id where r.rm_code = 'RM003'`;
    expect(mgr!.rm_code).toBe('RM001');

    const [p] = await db.sql`select management_fee_rate::text, performance_fee_rate::text, hurdle_rate::text from portfolios where portfolio_code = 'WS0000101'`;
    expect(p).toEqual({ management_fee_rate: '0.020000', performance_fee_rate: '0.200000', hurdle_rate: '0.100000' });

    const txns = await db.sql`select reference, type_code, classification, net_amount::text, quantity::text, trade_date::text
                              from transactions order by reference`;
    const byRef = Object.fromEntries(txns.map((t) => [t.reference, t]));
    expect(byRef.T0000001).toMatchObject({ classification: 'flow_in', net_amount: '10000000.00', trade_date: '2021-04-15' });
    expect(byRef.T0000002).toMatchObject({ classification: 'trade', net_amount: '2970825.00', quantity: '1500.000000' });
    expect(byRef.T0000004).toMatchObject({ classification: 'fee', net_amount: '-49589.04' }); // parentheses negative
    expect(byRef.T0000005).toMatchObject({ classification: 'income', trade_date: '2021-08-12' }); // dd-MMM-yyyy
    expect(byRef.T0000010!.classification).toBe('internal'); // OPO "Change in Asset type"
    expect(byRef.T0000011!.classification).toBe('internal');
    expect(byRef.T0000012!.classification).toBe('flow_out'); // TDS

    // Capital register wins over the feed for WS0000101/102; WS0000103/104 fall back to the feed.
    const flows = await db.sql`select p.portfolio_code, f.flow_date::text, f.amount::text, f.source from external_flows f
                               join portfolios p on p.id = f.portfolio_id order by 1, 2, 3`;
    expect(flows.map((f) => `${f.portfolio_code} ${f.flow_date} ${f.amount} ${f.source}`)).toEqual([
      'WS0000101 2021-04-15 10000000.00 capital-register',
      'WS0000101 2022-01-05 -1500000.00 capital-register',
      'WS0000102 2021-07-02 2500000.00 capital-register',
      'WS0000102 2021-07-02 5062500.00 capital-register',
      'WS0000103 2022-01-10 7500000.00 transactions',
      'WS0000103 2023-06-15 -8123456.78 transactions',
      'WS0000104 2022-10-01 6000000.00 transactions',
    ]);

    const holdings = await db.sql`select s.security_key, s.asset_class, h.as_of_date::text, h.quantity::text, h.market_value::text
                                  from holdings h join securities s on s.id = h.security_id order by 1`;
    expect(holdings).toEqual([
      { security_key: 'INE002A01018', asset_class: 'Equity', as_of_date: '2022-03-31', quantity: '1500.000000', market_value: '3945225.00' },
      { security_key: 'INE040A01034', asset_class: 'Equity', as_of_date: '2022-03-31', quantity: '1500.000000', market_value: '2205300.00' },
      { security_key: 'NAME:CASH & EQUIVALENTS', asset_class: 'Cash', as_of_date: '2022-03-31', quantity: '1.000000', market_value: '5543210.25' },
    ]);
  });

  it('changes nothing when the same files are imported again', async () => {
    const before = await tableCounts();
    const runs = await importOkBook(deps);
    expect(runs.every((r) => r.inserted === 0 && r.updated === 0 && r.unchanged === r.rowsTotal)).toBe(true);
    expect(await tableCounts()).toEqual(before);
  });

  it('updates a changed row and inserts a new one from an overlapping later file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-'));
    const file = path.join(dir, 'valuations_later.csv');
    fs.writeFileSync(file, [
      'ws_account_code,valuation_date,market_value,cash_balance',
      'WS0000101,19/04/2021,"99,87,999.99","41,81,449.71"', // corrected
      'WS0000101,20/04/2021,"1,00,02,000.00","41,81,449.71"', // new day
      'WS0000102,05/07/2021,"75,70,112.40","25,00,410.96"', // same
    ].join('\n'));
    const run = await runImport(deps, { kind: 'valuations', filePath: file, source: 'cli' });
    expect([run.inserted, run.updated, run.unchanged]).toEqual([1, 1, 1]);
    const [v] = await db.sql`select market_value::text from valuations v join portfolios p on p.id = v.portfolio_id
                             where portfolio_code = 'WS0000101' and valuation_date = '2021-04-19'`;
    expect(v!.market_value).toBe('9987999.99');
  });

  it('keeps values of columns a later file does not have', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-'));
    const file = path.join(dir, 'clients.csv');
    fs.writeFileSync(file, 'client_code,client_name,rm_code,onboarding_date\nC000101,Aarav Kapoor,RM002,15/04/2021\n');
    const run = await runImport(deps, { kind: 'clients', filePath: file, source: 'cli' });
    expect([run.inserted, run.updated, run.unchanged]).toEqual([0, 0, 1]);
    const [c] = await db.sql`select pan, city from clients where client_code = 'C000101'`;
    expect(c).toEqual({ pan: 'ABCPK1234F', city: 'Mumbai' });
  });
});

describe('imports racing on the same data', () => {
  it('end consistent: every row once, each counted as inserted exactly once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-race-'));
    const header = 'ws_account_code,trandate,tran_type,net_amount,txn_ref_no';
    const line = (i: number) => `WS0000104,${String((i % 28) + 1).padStart(2, '0')}/02/2024,IN1,"${i},000.00",RACE${String(i).padStart(5, '0')}`;
    const a = path.join(dir, 'race_a.csv');
    const b = path.join(dir, 'race_b.csv');
    fs.writeFileSync(a, [header, ...Array.from({ length: 3000 }, (_, i) => line(i))].join('\n'));
    fs.writeFileSync(b, [header, ...Array.from({ length: 3000 }, (_, i) => line(i + 1500))].join('\n')); // overlaps a by 1,500
    const runs = await Promise.all([
      runImport(deps, { kind: 'transactions', filePath: a, source: 'cli' }),
      runImport(deps, { kind: 'transactions', filePath: b, source: 'cli' }),
      runImport(deps, { kind: 'transactions', filePath: a, source: 'cli' }),
    ]);
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    expect(runs.reduce((n, r) => n + r.inserted, 0)).toBe(4500);
    expect(runs.reduce((n, r) => n + r.updated, 0)).toBe(0);
    const [row] = await db.sql`select count(*)::int as n, count(distinct reference)::int as refs from transactions where reference like 'RACE%'`;
    expect(row).toEqual({ n: 4500, refs: 4500 });
  });
});

describe('rejecting bad files, writing nothing', () => {
  it.each([
    ['bad_date.csv', 'INVALID_ROWS', { row: 2, column: 2, columnName: 'trandate', value: '31/02/2024' }, /not a date/],
    ['bad_number.csv', 'INVALID_ROWS', { row: 3, column: 10, columnName: 'net_amount', value: '12,3x4.00' }, /not a number/],
    ['unknown_code.csv', 'INVALID_ROWS', { row: 3, column: 4, columnName: 'tran_type', value: 'ZZ9' }, /unknown transaction code "ZZ9"/],
    ['duplicate_key.csv', 'DUPLICATE_KEYS', { row: 4, value: 'WS0000101 / B0000001' }, /duplicate of row 2/],
    ['unknown_portfolio.csv', 'UNKNOWN_REFERENCES', { row: 3, columnName: 'ws_account_code', value: 'WS0009999' }, /unknown portfolio/],
  ])('%s → %s with the row and column', async (file, code, detail, message) => {
    const before = await tableCounts();
    const err = await rejection('transactions', `not-ok/${file}`);
    expect(err.status).toBe(422);
    expect(err.code).toBe(code);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject(detail);
    expect(err.problems[0]!.message).toMatch(message);
    expect(await tableCounts()).toEqual(before);
  });

  it('names the missing columns', async () => {
    const err = await rejection('transactions', 'not-ok/missing_column.csv');
    expect(err.code).toBe('MISSING_COLUMNS');
    expect(err.problems.map((p) => p.columnName)).toEqual(['net_amount']);
  });

  it('rejects an empty file', async () => {
    const err = await rejection('clients', 'not-ok/empty.csv');
    expect([err.status, err.code]).toEqual([422, 'EMPTY_FILE']);
  });

  it('recognises a file of the wrong kind', async () => {
    const err = await rejection('clients', 'not-ok/wrong_kind_valuations.csv');
    expect(err.code).toBe('WRONG_KIND');
    expect(err.message).toMatch(/"valuations"/);
  });

  it('rejects a binary file posing as CSV', async () => {
    const err = await rejection('transactions', 'not-ok/binary.csv');
    expect([err.status, err.code]).toEqual([415, 'NOT_TEXT']);
  });

  it('rejects a file over the configured size limit before reading it', async () => {
    const err = await rejection('transactions', 'ok/transaction_statement.csv', { ...deps, maxBytes: 1000 });
    expect([err.status, err.code]).toEqual([413, 'FILE_TOO_LARGE']);
  });

  it('lists at most the first 100 problems and counts them all', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-'));
    const file = path.join(dir, 'valuations.csv');
    const lines = ['ws_account_code,valuation_date,market_value'];
    for (let i = 0; i < 250; i++) lines.push(`WS0000101,99/99/2024,"1,000.00"`);
    fs.writeFileSync(file, lines.join('\n'));
    const err = await runImport(deps, { kind: 'valuations', filePath: file, source: 'cli' }).catch((e: ImportRejectedError) => e);
    expect(err).toBeInstanceOf(ImportRejectedError);
    expect((err as ImportRejectedError).problems).toHaveLength(100);
    expect((err as ImportRejectedError).message).toMatch(/^250 problems found/);
  });

  it('records failed runs with their problems', async () => {
    const [run] = await db.sql`select status, error from import_runs where file_name = 'bad_date.csv' order by id desc limit 1`;
    expect(run!.status).toBe('failed');
    expect(run!.error.code).toBe('INVALID_ROWS');
    expect(run!.error.details[0].row).toBe(2);
  });
});
