import { fromDayNumber, toDayNumber } from '../../analytics/shared/iso-date.js';
import type { Writable } from 'node:stream';
import type { Queryable } from '../../db/client.js';

export type Cell = string | number | Float64Array | null;
export type Row = Cell[];
/**
 * Column name and how its cells are given: text, int, int8 (a number), date (ISO string, or days since 1970-01-01),
 * numeric (decimal string), paise (a numeric column given as an exact integer number of paise), float8, or an array
 * column (int8[], float8[]) given as a Float64Array whose NaN elements are nulls.
 */
export type ColumnType = 'text' | 'int' | 'int8' | 'date' | 'numeric' | 'paise' | 'float8' | 'int8[]' | 'float8[]';
export type Columns = readonly (readonly [name: string, type: ColumnType])[];

/**
 * Rows into `table`: binary COPY on PostgreSQL (no text formatting of doubles in Node, no parsing in the server), batched
 * `unnest` inserts on embedded PGlite (which has no COPY). A non-finite number (NaN, ±Infinity) is written as null.
 */
export async function writeRows(
  tx: Queryable,
  kind: 'postgres' | 'embedded',
  table: string,
  columns: Columns,
  rows: Row[],
  opts: CopyOptions = {},
): Promise<number> {
  if (!rows.length) return 0;
  if (kind === 'postgres') {
    const stream = new TableStream(tx, kind, table, columns, opts);
    await stream.complete(async () => {
      for (const row of rows) {
        stream.row(row);
        await stream.pump();
      }
    });
    return rows.length;
  }
  // Array columns travel as text literals ('{1,NULL}'): unnest would flatten a two-dimensional array.
  const params = columns.map(([, t], j) => `$${j + 1}::${t.endsWith('[]') ? 'text' : t === 'paise' ? 'numeric' : t}[]`).join(', ');
  const select = columns.map(([, t], j) => `c${j}${t.endsWith('[]') ? `::${t}` : ''}`).join(', ');
  const names = columns.map((_, j) => `c${j}`).join(', ');
  for (let i = 0; i < rows.length; i += 5000) {
    const batch = rows.slice(i, i + 5000);
    await tx.unsafe(
      `insert into ${table} (${columns.map(([c]) => c).join(', ')}) select ${select} from unnest(${params}) as u(${names})`,
      columns.map(([, t], j) => batch.map((r) => textCell(t, r[j] ?? null))) as never[],
    );
  }
  return rows.length;
}

/** Each column type's SQL type, for a table made to hold such rows. */
const SQL_TYPE: Record<ColumnType, string> = {
  text: 'text', int: 'integer', int8: 'bigint', date: 'date', numeric: 'numeric', paise: 'numeric', float8: 'float8', 'int8[]': 'bigint[]', 'float8[]': 'float8[]',
};

/**
 * `rows` as the temporary table `name` (dropped at commit; one of that name from earlier in the transaction is replaced):
 * how a statement joins thousands of keys or rows from Node (COPY takes no parameters). `analyze` when a query plans a
 * join against it (a fresh table has no statistics).
 */
export async function writeTempTable(
  tx: Queryable,
  kind: 'postgres' | 'embedded',
  name: string,
  columns: Columns,
  rows: Row[],
  opts: { analyze?: boolean } = {},
): Promise<void> {
  await tx.unsafe(`drop table if exists ${name}`);
  await tx.unsafe(`create temp table ${name} (${columns.map(([c, t]) => `${c} ${SQL_TYPE[t]}`).join(', ')}) on commit drop`);
  await writeRows(tx, kind, name, columns, rows);
  if (opts.analyze) await tx.unsafe(`analyze ${name}`);
}

export interface CopyOptions {
  /**
   * COPY … FREEZE (PostgreSQL): the rows go in frozen and all-visible, so the first reads after a bulk load do not
   * rewrite every page to set hint bits. Only for a table truncated (or created) in the same transaction.
   */
  freeze?: boolean;
}

/**
 * Rows into `table` as they are made, for writers that go on computing meanwhile: on PostgreSQL one binary COPY held
 * open until `close` (each `pump` hands over what is buffered and waits while the server catches up); on PGlite batched
 * inserts. Array cells are copied when buffered for PGlite, so callers may reuse them after `row`. Rows are added and
 * pumped inside `complete`, which closes the stream, or after a failure ends an open COPY with the error so the
 * transaction can roll back.
 */
export class TableStream {
  private readonly out: BinaryCopyWriter | null;
  private copy: Promise<Writable> | null = null;
  private rows: Row[] = [];

  constructor(
    private readonly tx: Queryable,
    private readonly kind: 'postgres' | 'embedded',
    private readonly table: string,
    private readonly columns: Columns,
    private readonly opts: CopyOptions = {},
  ) {
    this.out = kind === 'postgres' ? new BinaryCopyWriter(columns) : null;
  }

  row(cells: Row): void {
    if (this.out) this.out.row(cells);
    else this.rows.push(cells.map((x) => (x instanceof Float64Array ? x.slice() : x)));
  }

  async pump(): Promise<void> {
    if (this.out) {
      if (this.out.size < 1 << 20) return;
      const w = await (this.copy ??= copyIn(this.tx, this.table, this.columns, this.opts));
      if (!w.write(this.out.take())) await drained(w);
    } else if (this.rows.length >= 5000) await writeRows(this.tx, this.kind, this.table, this.columns, this.rows.splice(0));
  }

  async complete(work: () => Promise<void>): Promise<void> {
    try {
      await work();
      await this.close();
    } catch (err) {
      await this.abort(err);
      throw err;
    }
  }

  private async close(): Promise<void> {
    if (!this.out) {
      await writeRows(this.tx, this.kind, this.table, this.columns, this.rows.splice(0));
      return;
    }
    if (!this.out.count && !this.copy) return;
    const last = this.out.end();
    await endCopy(this.tx, this.table, await (this.copy ??= copyIn(this.tx, this.table, this.columns, this.opts)), last);
    this.copy = null;
  }

  private async abort(err: unknown): Promise<void> {
    const copy = this.copy;
    this.copy = null;
    if (copy) (await copy).destroy(err instanceof Error ? err : new Error(String(err)));
  }
}

/**
 * Resolves when a full COPY stream can take more, rejects when it fails instead: a server that rejects the data ends the
 * stream with an error, and 'drain' never comes (the run would wait forever).
 */
function drained(w: Writable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const settle = (err?: Error | null) => {
      w.off('drain', onDrain);
      w.off('error', settle);
      w.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => settle();
    const onClose = () => settle(w.errored ?? new Error('COPY stream closed before it could take more'));
    w.once('drain', onDrain);
    w.once('error', settle);
    w.once('close', onClose);
    if (w.errored) settle(w.errored);
    else if (w.destroyed) onClose();
  });
}

function copyIn(tx: Queryable, table: string, columns: Columns, opts: CopyOptions) {
  return tx.unsafe(`copy ${table} (${columns.map(([c]) => c).join(', ')}) from stdin with (format binary${opts.freeze ? ', freeze' : ''})`).writable();
}

/**
 * Sends the last rows and ends the COPY. postgres.js lets go of the stream once it is ended: an error the server reports
 * after that (a row it rejects late in a long stream) is dropped and the end never completes. A query queued behind
 * the COPY then fails (the transaction is aborted): the run fails instead of waiting forever.
 */
async function endCopy(tx: Queryable, table: string, w: NodeJS.WritableStream, last: Buffer): Promise<void> {
  await new Promise<void>((resolve, reject) => w.write(last, (err) => (err ? reject(err) : resolve())));
  const ended = new Promise<void>((resolve, reject) => {
    w.once('error', reject);
    w.end(() => resolve());
  });
  // After the stream's end has run (the next turn): postgres.js refuses queries while a COPY stream is open.
  await new Promise((resolve) => setImmediate(resolve));
  const after = tx.unsafe('select 1').then(
    () => ended,
    (err: Error) => {
      throw new Error(`COPY into ${table} failed (the server's log has its reason): ${err.message}`);
    },
  );
  await Promise.race([ended, after]);
}

function textCell(type: ColumnType, x: Cell): string | number | null {
  if (x === null) return null;
  if (x instanceof Float64Array) return `{${Array.from(x, (v) => (Number.isNaN(v) ? 'NULL' : String(v))).join(',')}}`;
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) return null;
    if (type === 'date') return fromDayNumber(x);
    if (type === 'paise') return paiseToDecimal(x);
  }
  return x;
}

/** Integer paise → decimal rupee string with two decimals. */
export function paiseToDecimal(p: number): string {
  const s = Math.abs(p).toString().padStart(3, '0');
  return `${p < 0 ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`;
}

const PG_EPOCH_DAY = toDayNumber('2000-01-01');

const enum Kind {
  Text,
  Int,
  Int8,
  Date,
  Numeric,
  Paise,
  Float8,
  Int8Array,
  Float8Array,
}
const KIND_OF: Record<ColumnType, Kind> = {
  text: Kind.Text, int: Kind.Int, int8: Kind.Int8, date: Kind.Date, numeric: Kind.Numeric, paise: Kind.Paise, float8: Kind.Float8,
  'int8[]': Kind.Int8Array, 'float8[]': Kind.Float8Array,
};

/** PostgreSQL's binary COPY format (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4). */
export class BinaryCopyWriter {
  private buf = Buffer.allocUnsafe(1 << 21);
  /** Numbers are written through a DataView (big-endian by default): far cheaper per call than Buffer's writers. */
  private view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  private pos = 0;
  /** Rows since the last end(). */
  count = 0;
  /** Each column's type as a number: a switch on these is cheaper per cell than one on the type names. */
  private readonly kinds: Kind[];
  /** Base-10000 digit groups of the paise cell being written (no array per cell). */
  private readonly groups = new Int32Array(8);
  constructor(readonly columns: Columns) {
    this.kinds = columns.map(([, type]) => KIND_OF[type]);
    this.header();
  }

  /** Bytes buffered (not yet taken). */
  get size(): number {
    return this.pos;
  }

  private header(): void {
    this.ensure(19);
    this.pos += this.buf.write('PGCOPY\n\xff\r\n\0', this.pos, 'latin1');
    this.int32(0);
    this.int32(0);
  }

  row(row: Row): void {
    this.count++;
    this.ensure(2);
    this.view.setInt16(this.pos, this.columns.length);
    this.pos += 2;
    this.cells(row);
  }

  private cells(row: Row): void {
    const kinds = this.kinds;
    for (let j = 0; j < kinds.length; j++) {
      const x = row[j] ?? null;
      if (x === null || (typeof x === 'number' && !Number.isFinite(x))) {
        this.ensure(4);
        this.int32(-1);
        continue;
      }
      switch (kinds[j]) {
        case Kind.Int8Array:
        case Kind.Float8Array:
          this.array(x as Float64Array, kinds[j] === Kind.Int8Array);
          break;
        case Kind.Int8:
          this.ensure(12);
          this.int32(8);
          this.int64(Number(x));
          break;
        case Kind.Float8:
          this.ensure(12);
          this.int32(8);
          this.view.setFloat64(this.pos, Number(x));
          this.pos += 8;
          break;
        case Kind.Int:
          this.ensure(8);
          this.int32(4);
          this.int32(Number(x));
          break;
        case Kind.Date:
          this.ensure(8);
          this.int32(4);
          this.int32((typeof x === 'number' ? x : toDayNumber(String(x))) - PG_EPOCH_DAY);
          break;
        case Kind.Numeric:
          this.numeric(String(x));
          break;
        case Kind.Paise:
          this.paise(Number(x));
          break;
        case Kind.Text: {
          const s = String(x);
          this.ensure(4 + 3 * s.length);
          const len = this.buf.write(s, this.pos + 4, 'utf8');
          this.int32(len);
          this.pos += len;
          break;
        }
      }
    }
  }

  /** A one-dimensional array of int8 or float8 (1-based); NaN elements are nulls. */
  private array(a: Float64Array, int8: boolean): void {
    let nulls = 0;
    for (let i = 0; i < a.length; i++) if (Number.isNaN(a[i]!)) nulls++;
    const size = 12 + (a.length ? 8 : 0) + 4 * nulls + 12 * (a.length - nulls);
    this.ensure(4 + size);
    this.int32(size);
    this.int32(a.length ? 1 : 0);
    this.int32(nulls ? 1 : 0);
    this.int32(int8 ? 20 : 701);
    if (a.length) {
      this.int32(a.length);
      this.int32(1);
    }
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if (Number.isNaN(v)) {
        this.int32(-1);
        continue;
      }
      this.int32(8);
      if (int8) this.int64(v);
      else {
        this.view.setFloat64(this.pos, v);
        this.pos += 8;
      }
    }
  }

  /** An exact integer (|v| < 2^53) as int8. */
  private int64(v: number): void {
    if (!Number.isSafeInteger(v)) throw new Error(`int8 must be a safe integer: ${v}`);
    const hi = Math.floor(v / 2 ** 32);
    this.view.setInt32(this.pos, hi);
    this.view.setUint32(this.pos + 4, v - hi * 2 ** 32);
    this.pos += 8;
  }

  /** The bytes so far; the writer goes on with the same COPY stream. */
  take(): Buffer {
    // Hands over the buffer itself and starts a new one (no copy of what was written).
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.buf.length);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
    this.pos = 0;
    return out;
  }

  /** The rest of the stream with its trailer; the writer starts a new stream. */
  end(): Buffer {
    this.ensure(2);
    this.view.setInt16(this.pos, -1);
    this.pos += 2;
    const out = this.take();
    this.count = 0;
    this.header();
    return out;
  }

  /** An exact integer number of paise as numeric with scale 2, without going through a string. */
  private paise(p: number): void {
    if (!Number.isSafeInteger(p)) throw new Error(`paise must be a safe integer: ${p}`);
    const abs = Math.abs(p);
    let rest = Math.floor(abs / 100);
    let n = 0;
    for (let r = rest; r > 0; r = Math.floor(r / 10_000)) n++;
    // Whole-rupee groups, most significant first, then the paise as the first fractional group.
    const groups = this.groups;
    for (let i = n - 1; i >= 0; i--) {
      groups[i] = rest % 10_000;
      rest = Math.floor(rest / 10_000);
    }
    groups[n] = (abs % 100) * 100;
    this.digits(groups, n + 1, n - 1, p < 0, 2);
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
    this.digits(groups, groups.length, intPadded.length / 4 - 1, neg, dscale);
  }

  /** The first `count` base-10000 digit groups (first group at `weight`) with leading and trailing zero groups stripped. */
  private digits(groups: ArrayLike<number>, count: number, weight: number, neg: boolean, dscale: number): void {
    let first = 0;
    while (first < count && groups[first] === 0) {
      first++;
      weight--;
    }
    let last = count;
    while (last > first && groups[last - 1] === 0) last--;
    const n = last - first;
    if (n === 0) weight = 0;
    this.ensure(12 + 2 * n);
    this.int32(8 + 2 * n);
    this.view.setInt16(this.pos, n);
    this.view.setInt16(this.pos + 2, weight);
    this.view.setUint16(this.pos + 4, neg && n ? 0x4000 : 0);
    this.view.setInt16(this.pos + 6, dscale);
    this.pos += 8;
    for (let i = first; i < last; i++) {
      this.view.setInt16(this.pos, groups[i]!);
      this.pos += 2;
    }
  }

  private int32(v: number): void {
    this.view.setInt32(this.pos, v);
    this.pos += 4;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.length);
  }
}
