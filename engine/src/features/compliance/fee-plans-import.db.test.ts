import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../db/testing/test-db.js';
import { ImportRejectedError } from '../../lib/errors.js';
import { ALL_CLIENTS } from '../../lib/scope.js';
import { runImport, type ImportDeps } from '../imports/run-import.js';
import { importDeps, importOkBook } from '../imports/test-helpers.js';
import { complianceChecks } from './compliance-dashboard.js';
import { loadFeePlans } from './fee-plans.js';

const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', name);
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let deps: ImportDeps;

beforeAll(async () => {
  db = await createTestDatabase();
  deps = await importDeps(db);
  await importOkBook(deps); // portfolios WS0000101 … WS0000104
});
afterAll(() => db?.close());

const plans = async () => new Map([...(await loadFeePlans(db.sql, { scope: ALL_CLIENTS })).values()].map((p) => [p.portfolioCode, p]));

describe('import kind fee-plans (Wealth Spectrum fee structure export)', () => {
  it('stores each row as the portfolio plan (percent → fraction, "-" → defaults), idempotently', async () => {
    const first = await runImport(deps, { kind: 'fee-plans', filePath: fixture('ok/fee_plans.csv'), source: 'cli' });
    expect(first).toMatchObject({ status: 'succeeded', rowsTotal: 3, inserted: 3, updated: 0, unchanged: 0 });
    const p = await plans();
    expect(p.get('WS0000101')!.plan).toEqual({
      managementFeeRate: '0.02',
      managementFeeFrequency: 'quarterly',
      performanceFeeRate: '0.2',
      performanceFeeFrequency: 'annual',
      hurdle: { kind: 'fixed', rate: '0.1' },
      exitLoad: ['0.03', '0.02', '0.01'],
      operatingExpenseRate: '0.0025',
      gstRate: '0.18',
      periodAnchor: 'financial-year',
    });
    expect(p.get('WS0000101')!.stored).toMatchObject({ source: 'import', updatedBy: `import:${first.id}` });
    // "-" cells take the mapping's defaults: no performance fee (annual), no hurdle, nil loads in years 2 and 3
    expect(p.get('WS0000102')!.plan).toMatchObject({ performanceFeeRate: '0', performanceFeeFrequency: 'annual', hurdle: { kind: 'none' }, exitLoad: ['0.01', '0', '0'], operatingExpenseRate: '0' });
    expect(p.get('WS0000104')!.plan).toMatchObject({ managementFeeFrequency: 'half-yearly', performanceFeeFrequency: 'half-yearly', hurdle: { kind: 'benchmark' }, exitLoad: ['0.04', '0.02', '0.01'] });
    expect(p.get('WS0000103')!.stored).toBeNull(); // not in the file: config and master rates still apply

    const again = await runImport(deps, { kind: 'fee-plans', filePath: fixture('ok/fee_plans.csv'), source: 'cli' });
    expect(again).toMatchObject({ status: 'succeeded', rowsTotal: 3, inserted: 0, updated: 0, unchanged: 3 });
    expect((await plans()).get('WS0000101')!.stored!.updatedBy).toBe(`import:${first.id}`);
  });

  it('an imported plan above the SEBI caps is stored and flagged by the compliance checks', async () => {
    const checks = (await complianceChecks(db.sql, { scope: ALL_CLIENTS })).filter((c) => c.portfolioCode === 'WS0000104' && c.at === 'fee plan');
    expect(checks.map((c) => [c.check, c.detail])).toEqual([
      ['exit-load-above-cap', 'Exit load in year 1 is 4%; SEBI allows at most 3% (fee plan, from import)'],
      ['operating-expenses-above-cap', "Operating expenses of 0.75% p.a. exceed SEBI's 0.50% p.a. of average daily AUM (fee plan, from import)"],
    ]);
  });

  it('rejects a bad file whole, with row and column of each problem', async () => {
    const before = await db.sql`select count(*)::int as n from fee_plans`;
    const err = (await runImport(deps, { kind: 'fee-plans', filePath: fixture('not-ok/fee_plans_bad.csv'), source: 'cli' }).catch((e: unknown) => e)) as ImportRejectedError;
    expect(err).toBeInstanceOf(ImportRejectedError);
    expect(err.problems.map((p) => [p.row, p.columnName, p.value])).toEqual([
      [2, 'management_fee_frequency', 'Weekly'],
      [3, 'hurdle_pct', '-'], // the cell as written: a blank marker
      [4, 'management_fee_pct', '150'],
      [5, 'hurdle_pct', '8'],
    ]);
    const unknown = (await runImport(deps, { kind: 'fee-plans', filePath: fixture('not-ok/fee_plans_unknown_portfolio.csv'), source: 'cli' }).catch((e: unknown) => e)) as ImportRejectedError;
    expect(unknown.problems).toEqual([{ row: 3, column: null, columnName: 'ws_account_code', value: 'WS9999999', message: 'unknown portfolio (account) code "WS9999999"' }]);
    const after = await db.sql`select count(*)::int as n from fee_plans`;
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});
