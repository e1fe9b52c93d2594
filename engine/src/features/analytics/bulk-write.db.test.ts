import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { createTestDatabase } from '../../db/testing/test-db.js';
import { TableStream, writeRows, type Columns, type Row } from './bulk-write.js';

const COLUMNS: Columns = [
  ['label', 'text'],
  ['n', 'int'],
  ['d', 'date'],
  ['amount', 'numeric'],
  ['ratio', 'float8'],
  ['paise', 'paise'],
];

// Values that trip hand-written encoders: zeros, signs, leading and trailing zero groups, 4-digit group boundaries, a
// value beyond 2^53, dates before 2000 and as day numbers, text with COPY's special characters, nulls and non-finite doubles.
const ROWS: Row[] = [
  ['plain', 1, '2024-03-31', '12345.67', 0.1, 123456789],
  ['zero', 0, '2000-01-01', '0', 0, 0],
  ['zero with scale', -1, '1999-12-31', '0.00', -0, -0],
  ['small negative', 2, 19_812, '-0.05', -1e-300, -5],
  ['group boundary', 3, '1970-01-01', '10000.0001', 1e300, 1000000],
  ['big', 2_147_483_647, '2099-12-31', '12345678901234567890.12', Number.MIN_VALUE, 9007199254740991],
  ['trailing zeros', -2_147_483_648, '2024-02-29', '-100000000.00', 123.456, -10000000000],
  ['tab\there\nnewline \\ backslash ₹', 4, null, null, null, null],
  ['non-finite', 5, '2024-01-01', '1', Number.NaN, 100],
  ['infinite', 6, '2024-01-01', '-1', Number.POSITIVE_INFINITY, -100],
];

const EXPECTED = [
  ['plain', 1, '2024-03-31', '12345.67', 0.1, '1234567.89'],
  ['zero', 0, '2000-01-01', '0', 0, '0.00'],
  ['zero with scale', -1, '1999-12-31', '0.00', 0, '0.00'],
  ['small negative', 2, '2024-03-30', '-0.05', -1e-300, '-0.05'],
  ['group boundary', 3, '1970-01-01', '10000.0001', 1e300, '10000.00'],
  ['big', 2_147_483_647, '2099-12-31', '12345678901234567890.12', Number.MIN_VALUE, '90071992547409.91'],
  ['trailing zeros', -2_147_483_648, '2024-02-29', '-100000000.00', 123.456, '-100000000.00'],
  ['tab\there\nnewline \\ backslash ₹', 4, null, null, null, null],
  ['non-finite', 5, '2024-01-01', '1', null, '1.00'],
  ['infinite', 6, '2024-01-01', '-1', null, '-1.00'],
];

describe('writeRows', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  it('round-trips every column type exactly (binary COPY on PostgreSQL, unnest on PGlite)', async () => {
    const rows = await db.sql.begin(async (tx) => {
      await tx`create temp table bw (label text, n integer, d date, amount numeric, ratio double precision, paise numeric(22, 2)) on commit drop`;
      expect(await writeRows(tx, db.kind, 'bw', COLUMNS, ROWS)).toBe(ROWS.length);
      return tx<{ label: string; n: number; d: string | null; amount: string | null; ratio: number | null; paise: string | null }[]>`
        select label, n, d::text, amount::text, ratio, paise::text from bw`;
    });
    expect(rows.map((r) => [r.label, r.n, r.d, r.amount, r.ratio === 0 ? 0 : r.ratio, r.paise])).toEqual(EXPECTED);
  });

  it('fails, not hangs, when the server rejects rows in the middle of a long stream', async () => {
    const run = db.sql.begin(async (tx) => {
      // Values beyond a smallint: rejected (on PostgreSQL as the stream goes, after the first megabyte is on its way).
      await tx`create temp table bw3 (label text, n smallint) on commit drop`;
      const out = new TableStream(tx, db.kind, 'bw3', [['label', 'text'], ['n', 'int']]);
      await out.complete(async () => {
        for (let i = 0; i < 400_000; i++) {
          out.row([`row ${i} ${'x'.repeat(20)}`, 40_000 + (i % 100)]);
          await out.pump();
        }
      });
    });
    await expect(run).rejects.toThrow();
    // The connection pool is still usable.
    expect((await db.sql<{ one: number }[]>`select 1 as one`)[0]!.one).toBe(1);
  }, 30_000);
});
