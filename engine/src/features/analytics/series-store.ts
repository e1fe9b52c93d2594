import type { Queryable, TransactionSql } from '../../db/client.js';
import { TableStream, writeRows, writeTempTable, type Columns, type CopyOptions, type Row } from './bulk-write.js';
import { MONTH_COLUMNS, monthRowCells, type BenchmarkDays, type MonthRow, type SeriesCheckpoint } from './series-state.js';

export type StoreKind = 'postgres' | 'embedded';

/** Every computed entity's last state (key `type:id`): the closing point of its metric periods. */
export type Finals = Map<string, SeriesCheckpoint>;
export const entityKey = (type: string, id: number) => `${type}:${id}`;

/** What one computed entity leaves for analytics_entities. */
export interface ComputedEntity {
  type: string;
  id: number;
  benchmarkId: number | null;
  inception: string | null;
  /** First row's day (null: no rows). */
  first: number | null;
  last: SeriesCheckpoint;
  /** A client with a single portfolio: that portfolio (the client's rows are its rows, read through, not stored). */
  twinOf?: number;
}

/** An entity's non-zero flows in date order: day numbers and paise. */
export interface FlowList {
  days: number[];
  paise: number[];
}
/** Flows by entity (key `type:id`). */
export type EntityFlows = Map<string, FlowList>;

/**
 * Computed month rows on their way to the store (a TableStream: Node computes the next rows while the server ingests
 * the last), and their flows (few, written at the end). Call `pump` between entities, inside `complete`.
 */
export class SeriesWriter {
  private readonly months: TableStream;
  /** The flows of the months written (as they go to analytics_flows). */
  readonly flows: EntityFlows = new Map();
  rows = 0;

  constructor(
    private readonly tx: TransactionSql,
    private readonly kind: StoreKind,
    /** The full build: months and flows emptied in this transaction go in frozen (CopyOptions). */
    private readonly opts: CopyOptions = {},
  ) {
    this.months = new TableStream(tx, kind, 'analytics_series_months', MONTH_COLUMNS, opts);
  }

  /** Encoded now: the packer reuses the row's arrays for its next month. */
  month(m: MonthRow): void {
    this.months.row(monthRowCells(m));
    for (let i = 0; i < m.len; i++) {
      if (Number.isNaN(m.value[i]!)) continue;
      this.rows++;
      const f = m.flow[i]!;
      if (Number.isNaN(f)) continue;
      this.flow(entityKey(m.type, m.id), m.month + i, f);
    }
  }

  private flow(key: string, day: number, paise: number): void {
    let list = this.flows.get(key);
    if (!list) this.flows.set(key, (list = { days: [], paise: [] }));
    list.days.push(day);
    list.paise.push(paise);
  }

  pump(): Promise<void> {
    return this.months.pump();
  }

  /** Runs `work` (months and pumps), then writes the rest and the flows; a failure ends an open COPY (TableStream). */
  async complete(work: () => Promise<void>): Promise<void> {
    await this.months.complete(work);
    const rows: Row[] = [];
    for (const [key, { days, paise }] of this.flows) {
      const [type, id] = key.split(':');
      for (let i = 0; i < days.length; i++) rows.push([type!, Number(id), days[i]!, paise[i]!]);
    }
    await writeRows(this.tx, this.kind, 'analytics_flows', FLOW_COLUMNS, rows, this.opts);
  }
}

const FLOW_COLUMNS: Columns = [['entity_type', 'text'], ['entity_id', 'int'], ['value_date', 'date'], ['amount', 'paise']];

/** The columns an entity row is written with, in order (saveEntities, and book-compute's twins). */
export const ENTITY_COLUMNS = `(entity_type, entity_id, benchmark_id, inception_date, first_date, as_of, last_value, last_log_growth,
                               peak_log_growth, twin_of, method, computed_at)`;
/** What a new computation of an existing entity replaces. */
export const ENTITY_UPSERT = `
  on conflict (entity_type, entity_id) do update set benchmark_id = excluded.benchmark_id, inception_date = excluded.inception_date,
    first_date = excluded.first_date, as_of = excluded.as_of, last_value = excluded.last_value, last_log_growth = excluded.last_log_growth,
    peak_log_growth = excluded.peak_log_growth, twin_of = excluded.twin_of, method = excluded.method, computed_at = now()`;

const SAVED_ENTITY_COLUMNS: Columns = [
  ['entity_type', 'text'], ['entity_id', 'int'], ['benchmark_id', 'int'], ['inception_date', 'date'], ['first_date', 'date'], ['as_of', 'date'],
  ['last_value', 'paise'], ['last_log_growth', 'float8'], ['peak_log_growth', 'float8'], ['twin_of', 'int'],
];

/**
 * Upserts analytics_entities for computed entities: the rows go into a temporary table with binary COPY (thousands of
 * entities per level: no array parameters to format in Node and parse in the server), then one upsert.
 */
export async function saveEntities(tx: TransactionSql, kind: StoreKind, method: string, list: ComputedEntity[]): Promise<void> {
  if (!list.length) return;
  await writeTempTable(
    tx,
    kind,
    'saved_entities',
    SAVED_ENTITY_COLUMNS,
    list.map((e) => {
      const none = e.last.date === null;
      return [e.type, e.id, e.benchmarkId, e.inception, e.first, e.last.date, none ? null : e.last.value, none ? null : e.last.lg, none ? null : e.last.peak, e.twinOf ?? null];
    }),
  );
  await tx.unsafe(
    `insert into analytics_entities ${ENTITY_COLUMNS}
     select entity_type, entity_id, benchmark_id, inception_date, first_date, as_of, last_value, last_log_growth, peak_log_growth, twin_of, $1, now()
     from saved_entities
     ${ENTITY_UPSERT}`,
    [method],
  );
}

/** Every benchmark's series (a few thousand rows each): daily returns for the series, log growth for the metrics. */
export async function loadBenchmarkDays(tx: Queryable): Promise<Map<number, BenchmarkDays>> {
  const rows = await tx<{ benchmark_id: number; d: number; r: number | null; lg: number }[]>`
    select benchmark_id, value_date - date '1970-01-01' as d, daily_return as r, log_growth as lg from benchmark_series
    order by benchmark_id, value_date`;
  const out = new Map<number, BenchmarkDays>();
  for (let i = 0; i < rows.length; ) {
    let j = i;
    while (j < rows.length && rows[j]!.benchmark_id === rows[i]!.benchmark_id) j++;
    const first = rows[i]!.d;
    const r = new Float64Array(rows[j - 1]!.d - first + 1).fill(NaN);
    const lg = new Float64Array(r.length).fill(NaN);
    for (let k = i; k < j; k++) {
      r[rows[k]!.d - first] = rows[k]!.r ?? NaN;
      lg[rows[k]!.d - first] = rows[k]!.lg;
    }
    out.set(rows[i]!.benchmark_id, { first, r, lg });
    i = j;
  }
  return out;
}
