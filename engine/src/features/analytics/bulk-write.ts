import { fromDayNumber } from '../../analytics/shared/iso-date.js';
import type { TransactionSql } from '../../db/client.js';

export type Cell = string | number | null;
export type Row = Cell[];
/** Column name and its PostgreSQL type: text, int, date (ISO string, or days since 1970-01-01), numeric (decimal string) or float8. */
export type ColumnType = 'text' | 'int' | 'date' | 'numeric' | 'float8';
export type Columns = readonly (readonly [name: string, type: ColumnType])[];

/**
 * Rows into `table`: binary COPY on PostgreSQL (no text formatting of doubles in Node, no parsing in the server), batched
 * `unnest` inserts on embedded PGlite (which has no COPY). A non-finite number (NaN, ±Infinity) is written as null.
 */
export async function writeRows(tx: TransactionSql, kind: 'postgres' | 'embedded', table: string, columns: Columns, rows: Row[]): Promise<number> {
  if (!rows.length) return 0;
  const names = columns.map(([c]) => c).join(', ');
  if (kind === 'postgres') {
    const w = await tx.unsafe(`copy ${table} (${names}) from stdin with (format binary)`).writable();
    const out = new BinaryCopyWriter(columns);
    out.header();
    for (const row of rows) {
      out.row(row);
      if (out.size > 1 << 20 && !w.write(out.take())) await new Promise<void>((resolve) => w.once('drain', resolve));
    }
    out.trailer();
    await new Promise<void>((resolve, reject) => {
      w.once('error', reject);
      w.end(out.take(), () => resolve());
    });
    return rows.length;
  }
  const select = columns.map(([, t], j) => `$${j + 1}::${t}[]`).join(', ');
  for (let i = 0; i < rows.length; i += 5000) {
    const batch = rows.slice(i, i + 5000);
    await tx.unsafe(
      `insert into ${table} (${names}) select * from unnest(${select})`,
      columns.map(([, t], j) => batch.map((r) => (t === 'date' && typeof r[j] === 'number' ? fromDayNumber(r[j]) : finiteOrNull(r[j]!)))) as never[],
    );
  }
  return rows.length;
}

function finiteOrNull(x: Cell): Cell {
  return typeof x === 'number' && !Number.isFinite(x) ? null : x;
}

const PG_EPOCH_DAY = Date.UTC(2000, 0, 1) / 86_400_000;

/** PostgreSQL's binary COPY format (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4). */
export class BinaryCopyWriter {
  private buf = Buffer.allocUnsafe(1 << 21);
  private pos = 0;
  constructor(private readonly columns: Columns) {}

  get size(): number {
    return this.pos;
  }

  header(): void {
    this.ensure(19);
    this.pos += this.buf.write('PGCOPY\n\xff\r\n\0', this.pos, 'latin1');
    this.int32(0);
    this.int32(0);
  }

  trailer(): void {
    this.ensure(2);
    this.buf.writeInt16BE(-1, this.pos);
    this.pos += 2;
  }

  row(row: Row): void {
    this.ensure(2);
    this.buf.writeInt16BE(this.columns.length, this.pos);
    this.pos += 2;
    for (let j = 0; j < this.columns.length; j++) {
      const x = row[j] ?? null;
      if (x === null || (typeof x === 'number' && !Number.isFinite(x))) {
        this.ensure(4);
        this.int32(-1);
        continue;
      }
      switch (this.columns[j]![1]) {
        case 'float8':
          this.ensure(12);
          this.int32(8);
          this.buf.writeDoubleBE(Number(x), this.pos);
          this.pos += 8;
          break;
        case 'int':
          this.ensure(8);
          this.int32(4);
          this.int32(Number(x));
          break;
        case 'date':
          this.ensure(8);
          this.int32(4);
          this.int32((typeof x === 'number' ? x : Date.parse(`${x}T00:00:00Z`) / 86_400_000) - PG_EPOCH_DAY);
          break;
        case 'numeric':
          this.numeric(String(x));
          break;
        case 'text': {
          const s = String(x);
          this.ensure(4 + Buffer.byteLength(s));
          const len = this.buf.write(s, this.pos + 4, 'utf8');
          this.int32(len);
          this.pos += len;
          break;
        }
      }
    }
  }

  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }

  /** A decimal string as numeric: base-10000 digit groups, weight of the first group, sign, display scale. */
  private numeric(s: string): void {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s.trim());
    if (!m) throw new Error(`not a decimal number: ${s}`);
    const neg = m[1] === '-';
    const intPart = (m[2] ?? '').replace(/^0+/, '');
    const frac = m[3] ?? '';
    const dscale = frac.length;
    const intPadded = intPart.padStart(Math.ceil(intPart.length / 4) * 4, '0');
    const fracPadded = frac.padEnd(Math.ceil(frac.length / 4) * 4, '0');
    const groups: number[] = [];
    for (let i = 0; i < intPadded.length; i += 4) groups.push(Number(intPadded.slice(i, i + 4)));
    for (let i = 0; i < fracPadded.length; i += 4) groups.push(Number(fracPadded.slice(i, i + 4)));
    let weight = intPadded.length / 4 - 1;
    let first = 0;
    while (first < groups.length && groups[first] === 0) {
      first++;
      weight--;
    }
    let last = groups.length;
    while (last > first && groups[last - 1] === 0) last--;
    const digits = groups.slice(first, last);
    if (!digits.length) weight = 0;
    this.ensure(12 + 2 * digits.length);
    this.int32(8 + 2 * digits.length);
    this.buf.writeInt16BE(digits.length, this.pos);
    this.buf.writeInt16BE(weight, this.pos + 2);
    this.buf.writeUInt16BE(neg && digits.length ? 0x4000 : 0, this.pos + 4);
    this.buf.writeInt16BE(dscale, this.pos + 6);
    this.pos += 8;
    for (const d of digits) {
      this.buf.writeInt16BE(d, this.pos);
      this.pos += 2;
    }
  }

  private int32(v: number): void {
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}
