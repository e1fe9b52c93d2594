import type { Queryable } from '../../db/client.js';
import { toDayNumber } from '../../analytics/shared/iso-date.js';

/**
 * How a column is read: int (int4), int8 (a number, exact below 2^53), date (days since 1970-01-01), paise (a numeric
 * with at most two decimals as exact integer paise), float8, text, or an array of int8, float8, date or paise as a
 * Float64Array (nulls as NaN).
 */
export type ReadType = 'int' | 'int8' | 'date' | 'paise' | 'float8' | 'text' | 'int8[]' | 'float8[]' | 'date[]' | 'paise[]';
export type ReadColumns = readonly (readonly [name: string, type: ReadType])[];
export type ReadCell = number | string | Float64Array | null;

/**
 * Streams the rows of `query` to `onRow` (cells in `columns` order, null for SQL null; the array is reused between
 * calls). On PostgreSQL through `COPY (…) TO STDOUT (FORMAT binary)`: no text formatting in the server, no parsing of
 * numbers in Node. On embedded PGlite (no COPY) as a plain query of text values. COPY takes no parameters: put them in
 * a temporary table the query joins.
 */
export interface ReadOptions {
  /** Awaited after each chunk of rows (PostgreSQL), or once after all (PGlite): lets the caller write out what it made. */
  afterChunk?: () => Promise<void>;
  /**
   * Array cells may be the same Float64Array from row to row (one per column and length, overwritten by the next row)
   * instead of a new one each: for callers that use a row's arrays before returning. Saves an allocation (and its
   * garbage) per array per row.
   */
  reuseArrays?: boolean;
}

export async function readRows(
  tx: Queryable,
  kind: 'postgres' | 'embedded',
  query: string,
  columns: ReadColumns,
  onRow: (cells: ReadCell[]) => void,
  opts: ReadOptions = {},
): Promise<number> {
  const { afterChunk } = opts;
  const select = `select ${columns.map(([c]) => `q.${c}`).join(', ')} from (${query}) q`;
  const cells: ReadCell[] = new Array(columns.length).fill(null);
  if (kind === 'embedded') {
    const rows = await tx.unsafe<Record<string, string | null>[]>(`select ${columns.map(([c]) => `q.${c}::text as ${c}`).join(', ')} from (${query}) q`);
    for (const row of rows) {
      for (let j = 0; j < columns.length; j++) {
        const [name, type] = columns[j]!;
        const text = row[name] ?? null;
        cells[j] = text === null ? null : fromText(type, text);
      }
      onRow(cells);
    }
    await afterChunk?.();
    return rows.length;
  }
  const parser = new BinaryCopyParser(columns, cells, onRow, opts.reuseArrays === true);
  const stream = await tx.unsafe(`copy (${select}) to stdout with (format binary)`).readable();
  // Each read takes everything buffered so far (many rows per chunk); the stream's buffer gives backpressure.
  let failure: unknown = null;
  for await (const chunk of stream) {
    if (failure !== null) continue; // after a failure, read on to the end of the COPY: the connection must get there
    try {
      parser.push(chunk as Buffer);
      await afterChunk?.();
    } catch (err) {
      failure = err;
    }
  }
  // postgres.js pauses the socket when the stream's buffer fills, and resumes it from the stream's _read. A short result
  // that arrives with its CopyDone in one packet fills the buffer before anyone reads, and the ended stream never calls
  // _read again: the connection would stay paused and its next query wait forever. Resume it.
  (stream as unknown as { _read?: () => void })._read?.();
  if (failure !== null) throw failure;
  parser.finish();
  return parser.rows;
}

function fromText(type: ReadType, text: string): ReadCell {
  switch (type) {
    case 'int':
    case 'int8':
    case 'float8':
      return Number(text);
    case 'date':
      return toDayNumber(text);
    case 'paise':
      return paiseOf(text);
    case 'text':
      return text;
    case 'int8[]':
    case 'float8[]':
    case 'date[]':
    case 'paise[]': {
      const body = text.slice(1, -1);
      if (!body) return new Float64Array(0);
      const parts = body.split(',');
      const element = type === 'date[]' ? toDayNumber : type === 'paise[]' ? paiseOf : Number;
      const out = new Float64Array(parts.length);
      for (let i = 0; i < parts.length; i++) out[i] = parts[i] === 'NULL' ? NaN : element(parts[i]!);
      return out;
    }
  }
}

/** Decimal string with at most 2 decimals → integer paise (exact below 2^53 paise, ₹90 lakh crore). */
export function paiseOf(s: string): number {
  const neg = s.startsWith('-');
  const body = neg ? s.slice(1) : s;
  const dot = body.indexOf('.');
  const whole = dot < 0 ? body : body.slice(0, dot);
  const frac = dot < 0 ? '' : body.slice(dot + 1);
  if (frac.length > 2 && /[1-9]/.test(frac.slice(2))) throw new Error(`amount ${s} has more than 2 decimals`);
  const v = Number(whole) * 100 + Number((frac + '00').slice(0, 2));
  if (!Number.isSafeInteger(v)) throw new Error(`amount ${s} is too large for exact pooling`);
  return neg ? -v : v;
}

const PG_EPOCH_DAY = toDayNumber('2000-01-01');
const HEADER = 19;

/** PostgreSQL's binary COPY format, parsed across chunk boundaries (a row is decoded once all its bytes are in). */
const EMPTY = Buffer.alloc(0);

export class BinaryCopyParser {
  private rest: Buffer = EMPTY;
  private headerDone = false;
  private done = false;
  rows = 0;
  /** With reuseArrays: each array column's cells by length. */
  private readonly arrays: Float64Array[][] | null;

  constructor(
    private readonly columns: ReadColumns,
    private readonly cells: ReadCell[],
    private readonly onRow: (cells: ReadCell[]) => void,
    reuseArrays = false,
  ) {
    this.arrays = reuseArrays ? columns.map(() => []) : null;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    if (this.rest.length) {
      // Finish the row begun in the last chunk with as few of this chunk's bytes as it needs: joining whole chunks
      // copied every byte read once more.
      const restLength = this.rest.length;
      for (let take = Math.min(chunk.length, Math.max(restLength, 4096)); ; take = Math.min(chunk.length, take * 2)) {
        const head = Buffer.concat([this.rest, chunk.subarray(0, take)]);
        const end = this.parse(head, 0);
        if (end > 0) {
          pos = end - restLength;
          break;
        }
        if (take === chunk.length) {
          this.rest = head;
          return;
        }
      }
    }
    const end = this.parse(chunk, pos);
    this.rest = end < chunk.length ? Buffer.from(chunk.subarray(end)) : EMPTY;
  }

  /** Decodes the complete rows (and header, trailer) in `buf` from `pos`; returns where the first incomplete one starts. */
  private parse(buf: Buffer, pos: number): number {
    if (!this.headerDone) {
      if (buf.length < HEADER || buf.length < HEADER + buf.readInt32BE(15)) return pos;
      // 11-byte signature, flags, header extension length, extension.
      pos = HEADER + buf.readInt32BE(15);
      this.headerDone = true;
    }
    const n = this.columns.length;
    for (;;) {
      if (this.done || pos + 2 > buf.length) break;
      const fields = buf.readInt16BE(pos);
      if (fields === -1) {
        this.done = true;
        pos += 2;
        break;
      }
      if (fields !== n) throw new Error(`COPY row has ${fields} fields, expected ${n}`);
      // Complete row?
      let end = pos + 2;
      let complete = true;
      for (let j = 0; j < n; j++) {
        if (end + 4 > buf.length) {
          complete = false;
          break;
        }
        const len = buf.readInt32BE(end);
        end += 4 + (len > 0 ? len : 0);
        if (end > buf.length) {
          complete = false;
          break;
        }
      }
      if (!complete) break;
      let p = pos + 2;
      for (let j = 0; j < n; j++) {
        const len = buf.readInt32BE(p);
        p += 4;
        if (len < 0) {
          this.cells[j] = null;
          continue;
        }
        this.cells[j] = decode(this.columns[j]![1], buf, p, len, this.arrays?.[j]);
        p += len;
      }
      this.rows++;
      this.onRow(this.cells);
      pos = end;
    }
    return pos;
  }

  finish(): void {
    if (!this.done && this.headerDone) throw new Error('COPY stream ended without its trailer');
  }
}

function int64(buf: Buffer, p: number): number {
  return buf.readInt32BE(p) * 2 ** 32 + buf.readUInt32BE(p + 4);
}

/** `reuse`: the column's earlier array cells by length, to decode into instead of a new array. */
function decode(type: ReadType, buf: Buffer, p: number, len: number, reuse?: Float64Array[]): ReadCell {
  switch (type) {
    case 'int':
      return buf.readInt32BE(p);
    case 'int8':
      return int64(buf, p);
    case 'float8':
      return buf.readDoubleBE(p);
    case 'date':
      return buf.readInt32BE(p) + PG_EPOCH_DAY;
    case 'text':
      return buf.toString('utf8', p, p + len);
    case 'paise':
      return numericPaise(buf, p);
    case 'int8[]':
    case 'float8[]':
    case 'date[]':
    case 'paise[]': {
      const ndim = buf.readInt32BE(p);
      const count = ndim === 0 ? 0 : buf.readInt32BE(p + 12);
      const out = reuse ? (reuse[count] ??= new Float64Array(count)) : new Float64Array(count);
      if (count === 0) return out;
      let q = p + 20;
      for (let i = 0; i < count; i++) {
        const l = buf.readInt32BE(q);
        q += 4;
        if (l < 0) {
          out[i] = NaN;
          continue;
        }
        out[i] =
          type === 'int8[]' ? int64(buf, q) : type === 'date[]' ? buf.readInt32BE(q) + PG_EPOCH_DAY : type === 'paise[]' ? numericPaise(buf, q) : buf.readDoubleBE(q);
        q += l;
      }
      return out;
    }
  }
}

/** A binary numeric (base-10000 digit groups) with at most two decimals → integer paise. */
function numericPaise(buf: Buffer, p: number): number {
  const ndigits = buf.readInt16BE(p);
  const weight = buf.readInt16BE(p + 2);
  const sign = buf.readUInt16BE(p + 4);
  if (sign === 0xc000) throw new Error('amount is NaN');
  let whole = 0;
  let paise = 0;
  for (let i = 0; i < ndigits; i++) {
    const d = buf.readInt16BE(p + 8 + 2 * i);
    const w = weight - i;
    if (w >= 0) whole += d * 10_000 ** w;
    else if (w === -1) {
      if (d % 100 !== 0) throw new Error('amount has more than 2 decimals');
      paise = d / 100;
    } else if (d !== 0) throw new Error('amount has more than 2 decimals');
  }
  const v = whole * 100 + paise;
  if (!Number.isSafeInteger(v)) throw new Error('amount is too large for exact pooling');
  return sign === 0x4000 ? -v : v;
}
