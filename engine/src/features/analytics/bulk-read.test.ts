import { describe, expect, it } from 'vitest';
import { BinaryCopyParser, type ReadCell, type ReadColumns } from './bulk-read.js';
import { BinaryCopyWriter, type Columns } from './bulk-write.js';

const COLUMNS = [['name', 'text'], ['n', 'int'], ['x', 'float8'], ['a', 'float8[]']] as const;

function encoded(rows: (string | number | Float64Array | null)[][]): Buffer {
  const w = new BinaryCopyWriter(COLUMNS as Columns);
  for (const r of rows) w.row(r);
  return w.end();
}

function parse(chunks: Buffer[]): unknown[][] {
  const got: unknown[][] = [];
  const cells: ReadCell[] = [];
  const p = new BinaryCopyParser(COLUMNS as ReadColumns, cells, (c) => got.push(c.map((x) => (x instanceof Float64Array ? [...x] : x))));
  for (const c of chunks) p.push(c);
  p.finish();
  return got;
}

describe('BinaryCopyParser', () => {
  const rows = Array.from({ length: 40 }, (_, i) => [`row ${i} ${'é'.repeat(i)}`, i, i / 3, new Float64Array(Array.from({ length: i % 5 }, (_, k) => (k === 1 ? NaN : k * i)))]);
  const bytes = encoded(rows);
  const expected = rows.map((r) => [r[0], r[1], r[2], [...(r[3] as Float64Array)]]);

  it('decodes a stream that arrives whole', () => {
    expect(parse([bytes])).toEqual(expected);
  });

  it('decodes the same rows whatever the chunk boundaries (header, rows and trailer split anywhere)', () => {
    for (const size of [1, 2, 3, 7, 19, 20, 64, 333, 4095, 4097]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect(parse(chunks)).toEqual(expected);
    }
  });

  it('rejects a stream cut short', () => {
    expect(() => parse([bytes.subarray(0, bytes.length - 1)])).toThrow(/trailer/);
  });
});
