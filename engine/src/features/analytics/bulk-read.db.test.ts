import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { createTestDatabase } from '../../db/testing/test-db.js';
import { toDayNumber } from '../../analytics/shared/iso-date.js';
import { readRows, type ReadCell, type ReadColumns } from './bulk-read.js';
import { writeRows, type Columns, type Row } from './bulk-write.js';

// Round trips through the two bulk paths (binary COPY on PostgreSQL, plain statements on PGlite): what goes in with
// writeRows comes back from readRows, including arrays with nulls, negative and large int8, and a result long enough
// to arrive in many chunks, rows split across them.
// The same names and types both ways (every read type here is also a write type).
const COLUMNS = [
  ['label', 'text'],
  ['n', 'int'],
  ['big', 'int8'],
  ['d', 'date'],
  ['amount', 'paise'],
  ['ratio', 'float8'],
  ['days', 'int8[]'],
  ['returns', 'float8[]'],
] as const satisfies Columns & ReadColumns;
const arr = (...xs: number[]) => Float64Array.from(xs);
const ROWS: Row[] = [
  ['plain ₹', 1, 123_456_789, 19_812, 1_234_567_89, 0.1, arr(1, 2, 3), arr(0.01, -0.02, 1e-300)],
  ['nulls inside arrays', -2, -9_007_199_254_740_991, 0, -5, -1.5, arr(NaN, 7, NaN), arr(NaN, NaN)],
  ['empty arrays', 2_147_483_647, 0, -10_957, 0, 1e300, arr(), arr()],
  ['null cells', 0, null, null, null, null, arr(-4_294_967_296), arr(Number.MIN_VALUE)],
];

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql`create table bulk_read_test (label text, n integer, big bigint, d date, amount numeric(22, 2), ratio double precision,
                 days bigint[], returns double precision[])`;
});
afterAll(() => db?.close());

type Plain = string | number | number[] | null;
async function readAll(query: string, columns: ReadColumns, afterChunk?: () => Promise<void>) {
  const out: Plain[][] = [];
  await db.sql.begin((tx) => readRows(tx, db.kind, query, columns, (cells: ReadCell[]) => out.push(cells.map((c) => (c instanceof Float64Array ? Array.from(c) : c))), { afterChunk }));
  return out;
}

describe('readRows', () => {
  it('reads back every type writeRows wrote', async () => {
    await db.sql.begin((tx) => writeRows(tx, db.kind, 'bulk_read_test', COLUMNS, ROWS));
    const back = await readAll('select * from bulk_read_test order by n', COLUMNS);
    const expected = [...ROWS]
      .sort((a, b) => (a[1] as number) - (b[1] as number))
      .map((r) => r.map((c) => (c instanceof Float64Array ? Array.from(c) : c)));
    expect(back.map((r) => r.map((c) => (Array.isArray(c) ? c.map((x) => (Number.isNaN(x) ? 'null' : x)) : c)))).toEqual(
      expected.map((r) => r.map((c) => (Array.isArray(c) ? c.map((x) => (Number.isNaN(x) ? 'null' : x)) : c))),
    );
  });

  it('streams a long result in chunks, calling afterChunk, and leaves the connection usable', async () => {
    let chunks = 0;
    const rows = await readAll(
      `select g as n, (g * 100 + 7)::numeric(22, 2) as amount, array[g, g + 1]::bigint[] as days from generate_series(1, 20000) g`,
      [['n', 'int'], ['amount', 'paise'], ['days', 'int8[]']],
      async () => {
        chunks++;
      },
    );
    expect(rows.length).toBe(20_000);
    expect(rows[19_999]).toEqual([20_000, 2_000_007_00, [20_000, 20_001]]);
    expect(rows.every((r, i) => r[0] === i + 1)).toBe(true);
    expect(chunks).toBeGreaterThanOrEqual(1);
    // A short result, then another statement on the same transaction: a stalled connection would hang here.
    await db.sql.begin(async (tx) => {
      for (let i = 0; i < 3; i++) {
        await readRows(tx, db.kind, `select 1 as n from generate_series(1, 500)`, [['n', 'int']], () => {});
        expect((await tx`select 2 as x`)[0]!.x).toBe(2);
      }
    });
  });

  it('reads date and numeric arrays as day numbers and paise', async () => {
    const [row] = await readAll(`select array[date '2024-01-31', null, date '1999-12-31']::date[] as ds, array[1.5, null, -0.07, 123456789.12, 0]::numeric[] as ps`, [
      ['ds', 'date[]'],
      ['ps', 'paise[]'],
    ]);
    expect(row).toEqual([
      [toDayNumber('2024-01-31'), NaN, toDayNumber('1999-12-31')],
      [150, NaN, -7, 12_345_678_912, 0],
    ]);
    await expect(readAll(`select array[1.005]::numeric[] as ps`, [['ps', 'paise[]']])).rejects.toThrow(/more than 2 decimals/);
  });

  it('rejects an amount with more than two decimals instead of rounding it', async () => {
    await expect(readAll(`select 1.005::numeric as amount`, [['amount', 'paise']])).rejects.toThrow(/more than 2 decimals/);
  });
});
