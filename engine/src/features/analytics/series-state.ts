import { civilFromDays, daysFromCivil } from '../../analytics/shared/iso-date.js';
import type { Row } from './bulk-write.js';
import type { ReadColumns, ReadCell } from './bulk-read.js';
import type { RunningSums } from './period-metrics.js';

/**
 * An entity's running state after one of its rows: what the next row continues from, what a month row stores as its
 * checkpoint, and what a period's statistics are differences of (see README: analytics_series).
 */
export interface SeriesCheckpoint extends RunningSums {
  /** Day number of the row (null: before the first row). */
  date: number | null;
  /** Its value, paise. */
  value: number;
  lg: number;
  peak: number;
  mdd: number;
}

export const START: Readonly<SeriesCheckpoint> = { date: null, value: 0, lg: 0, n: 0, s_r: 0, s_r2: 0, s_dn2: 0, pn: 0, s_pr: 0, s_pr2: 0, s_b: 0, s_b2: 0, s_rb: 0, peak: 0, mdd: 0 };

/**
 * One stored month of an entity: its checkpoint and its days (slot d − 1 = day d of the month; NaN value = no row, NaN
 * flow = none), in the first `len` slots of the arrays (a packer reuses its arrays: a row is valid until the packer's
 * next month). The days' returns are not stored: they follow from the values and flows (SeriesState.add).
 */
export interface MonthRow {
  type: string;
  id: number;
  /** Day number of the month's first day. */
  month: number;
  c: SeriesCheckpoint;
  len: number;
  value: Float64Array;
  flow: Float64Array;
}

/**
 * A benchmark's series over consecutive day numbers from `first` (its first row): daily returns (NaN: no return that
 * day, as on the base date) and log growth (NaN: no row that day).
 */
export interface BenchmarkDays {
  first: number;
  r: Float64Array;
  lg: Float64Array;
}

export function benchmarkReturnOn(b: BenchmarkDays | undefined, day: number): number {
  if (!b) return NaN;
  const i = day - b.first;
  return i >= 0 && i < b.r.length ? b.r[i]! : NaN;
}

export function monthStart(day: number): number {
  const { year, month } = civilFromDays(day);
  return daysFromCivil(year, month, 1);
}

export function nextMonth(start: number): number {
  const { year, month } = civilFromDays(start);
  return month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1);
}

/**
 * The running state of one entity's series. r = (V − V₋₁ − CF) / (V₋₁ + CF) with flows at the start of the day (w = 1)
 * on the rupee values as doubles, exactly as dailyTwrr computes it; null when the denominator ≤ 0.
 */
export class SeriesState implements SeriesCheckpoint {
  date: number | null = null;
  value = 0;
  lg = 0;
  n = 0;
  s_r = 0;
  s_r2 = 0;
  s_dn2 = 0;
  pn = 0;
  s_pr = 0;
  s_pr2 = 0;
  s_b = 0;
  s_b2 = 0;
  s_rb = 0;
  peak = 0;
  mdd = 0;

  constructor(
    from: Readonly<SeriesCheckpoint>,
    private bench: BenchmarkDays | undefined,
  ) {
    Object.assign(this, from);
  }

  /** Starts over from `from` with the given benchmark (one state reused for many lookups). */
  reset(from: Readonly<SeriesCheckpoint>, bench: BenchmarkDays | undefined): this {
    this.bench = bench;
    this.date = from.date;
    this.value = from.value;
    this.lg = from.lg;
    this.n = from.n;
    this.s_r = from.s_r;
    this.s_r2 = from.s_r2;
    this.s_dn2 = from.s_dn2;
    this.pn = from.pn;
    this.s_pr = from.s_pr;
    this.s_pr2 = from.s_pr2;
    this.s_b = from.s_b;
    this.s_b2 = from.s_b2;
    this.s_rb = from.s_rb;
    this.peak = from.peak;
    this.mdd = from.mdd;
    return this;
  }

  /** The row of `day` with its value and flow (paise); returns its daily return (NaN for null). */
  add(day: number, value: number, flow: number): number {
    const v = value / 100;
    const p = this.value / 100;
    const f = flow / 100;
    const r = p + f > 0 ? (v - p - f) / (p + f) : NaN;
    this.accumulate(day, value, r);
    return r;
  }

  private accumulate(day: number, value: number, r: number): void {
    if (!Number.isNaN(r)) {
      this.lg += Math.log(Math.max(1 + r, 1e-300));
      this.n++;
      this.s_r += r;
      this.s_r2 += r * r;
      this.s_dn2 += r < 0 ? r * r : 0;
      const b = benchmarkReturnOn(this.bench, day);
      if (!Number.isNaN(b)) {
        this.pn++;
        this.s_pr += r;
        this.s_pr2 += r * r;
        this.s_b += b;
        this.s_b2 += b * b;
        this.s_rb += r * b;
      }
    }
    this.peak = Math.max(this.peak, this.lg);
    this.mdd = Math.min(this.mdd, Math.exp(Math.max(this.lg - this.peak, -700)) - 1);
    this.value = value;
    this.date = day;
  }

  snapshot(): SeriesCheckpoint {
    const { date, value, lg, n, s_r, s_r2, s_dn2, pn, s_pr, s_pr2, s_b, s_b2, s_rb, peak, mdd } = this;
    return { date, value, lg, n, s_r, s_r2, s_dn2, pn, s_pr, s_pr2, s_b, s_b2, s_rb, peak, mdd };
  }

  /**
   * Replays a stored month's rows up to and including `through` (all of them by default): the same arithmetic on the
   * same values and flows as when they were first added, so the same state to the last bit.
   */
  replay(row: MonthRow, through = Infinity): this {
    for (let i = 0; i < row.len && row.month + i <= through; i++) {
      const v = row.value[i]!;
      if (Number.isNaN(v)) continue;
      const f = row.flow[i]!;
      this.add(row.month + i, v, Number.isNaN(f) ? 0 : f);
    }
    return this;
  }
}

/**
 * Computes an entity's rows in date order from a checkpoint and packs them into month rows: `add` each day, `finish`
 * at the end; `onMonth` receives each completed month.
 */
export class MonthPacker {
  readonly state: SeriesState;
  private cur: MonthRow | null = null;
  private end = 0;
  private readonly slots = { value: new Float64Array(31), flow: new Float64Array(31) };
  rows = 0;
  first: number | null = null;

  constructor(
    private readonly type: string,
    private readonly id: number,
    from: Readonly<SeriesCheckpoint>,
    bench: BenchmarkDays | undefined,
    private readonly onMonth: (row: MonthRow) => void,
  ) {
    this.state = new SeriesState(from, bench);
  }

  /** The states to keep for `days` (ascending): the state after the last row on or before each (null before any). */
  watch(days: readonly number[]): Map<number, SeriesCheckpoint | null> {
    this.watched = days;
    this.next = 0;
    return (this.openings = new Map());
  }
  private watched: readonly number[] = [];
  private next = 0;
  private openings: Map<number, SeriesCheckpoint | null> | null = null;
  private record(before: number): void {
    while (this.next < this.watched.length && this.watched[this.next]! < before) {
      this.openings!.set(this.watched[this.next++]!, this.state.date === null ? null : this.state.snapshot());
    }
  }

  add(day: number, value: number, flow: number): void {
    if (this.next < this.watched.length) this.record(day);
    if (this.cur === null || day >= this.end) {
      this.flush();
      const month = monthStart(day);
      this.end = nextMonth(month);
      for (const a of Object.values(this.slots)) a.fill(NaN);
      this.cur = { type: this.type, id: this.id, month, c: this.state.snapshot(), len: 0, ...this.slots };
    }
    const i = day - this.cur.month;
    this.state.add(day, value, flow);
    this.cur.value[i] = value;
    if (flow !== 0) this.cur.flow[i] = flow;
    this.rows++;
    if (this.first === null) this.first = day;
  }

  finish(): void {
    this.record(Infinity);
    this.flush();
  }

  private flush(): void {
    if (!this.cur) return;
    const row = this.cur;
    this.cur = null;
    row.len = this.state.date! - row.month + 1;
    this.onMonth(row);
  }
}

/** analytics_series_months as written (bulk-write) … */
export const MONTH_COLUMNS = [
  ['entity_type', 'text'], ['entity_id', 'int'], ['month', 'date'], ['c_date', 'date'], ['c_value', 'int8'], ['c_log_growth', 'float8'],
  ['c_n', 'int'], ['c_s_r', 'float8'], ['c_s_r2', 'float8'], ['c_s_dn2', 'float8'], ['c_pn', 'int'], ['c_s_pr', 'float8'],
  ['c_s_pr2', 'float8'], ['c_s_b', 'float8'], ['c_s_b2', 'float8'], ['c_s_rb', 'float8'], ['c_peak_log_growth', 'float8'],
  ['c_max_drawdown', 'float8'], ['value', 'int8[]'], ['net_flow', 'int8[]'],
] as const;

/** … and as read (bulk-read). */
export const MONTH_READ_COLUMNS: ReadColumns = MONTH_COLUMNS;

const NONE = new Float64Array(0);

/**
 * The row's cells for bulk-write; the arrays are views of the row's (reused) arrays: encode them before the next month.
 * A month without flows stores an empty flow array.
 */
export function monthRowCells(m: MonthRow): Row {
  const c = m.c;
  let flows = false;
  for (let i = 0; i < m.len && !flows; i++) flows = !Number.isNaN(m.flow[i]!);
  const value = m.value.length === m.len ? m.value : m.value.subarray(0, m.len);
  const flow = !flows ? NONE : m.flow.length === m.len ? m.flow : m.flow.subarray(0, m.len);
  return [m.type, m.id, m.month, c.date, c.value, c.lg, c.n, c.s_r, c.s_r2, c.s_dn2, c.pn, c.s_pr, c.s_pr2, c.s_b, c.s_b2, c.s_rb, c.peak, c.mdd, value, flow];
}

/** The flows of a month stored without any: none on every day (read-only). */
const NO_FLOWS = new Float64Array(31).fill(NaN);

/** A month row from its cells as read with MONTH_READ_COLUMNS starting at `at`. */
export function monthRowOf(cells: ReadCell[], at = 0): MonthRow {
  // Plain indexing, no helper closures: this runs for every month read.
  const x = cells as number[];
  const value = cells[at + 18] as Float64Array;
  const flow = cells[at + 19] as Float64Array;
  return {
    type: cells[at] as string,
    id: x[at + 1]!,
    month: x[at + 2]!,
    c: {
      date: x[at + 3] ?? null, value: x[at + 4]!, lg: x[at + 5]!, n: x[at + 6]!, s_r: x[at + 7]!, s_r2: x[at + 8]!, s_dn2: x[at + 9]!, pn: x[at + 10]!,
      s_pr: x[at + 11]!, s_pr2: x[at + 12]!, s_b: x[at + 13]!, s_b2: x[at + 14]!, s_rb: x[at + 15]!, peak: x[at + 16]!, mdd: x[at + 17]!,
    },
    len: value.length,
    value,
    flow: flow.length ? flow : NO_FLOWS,
  };
}
