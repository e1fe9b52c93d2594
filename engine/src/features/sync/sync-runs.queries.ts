/**
 * Sync runs: claiming the single running slot (a Postgres advisory lock across engine instances,
 * plus a partial unique index that also guards the embedded store), heartbeats, results, history
 * and per-object watermarks.
 */
import type { Database, Queryable } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';

/** Advisory lock key of the Salesforce sync (any constant unique to this job). */
export const SALESFORCE_SYNC_LOCK = 7345100;
/** A 'running' run whose heartbeat is older than this is taken as crashed (embedded store). */
export const STALE_RUN_MS = 10 * 60_000;

export class SyncAlreadyRunningError extends AppError {
  constructor(runId?: number) {
    super(409, 'SYNC_ALREADY_RUNNING', `A Salesforce sync is already running${runId ? ` (run ${runId})` : ''}`);
  }
}

export interface SyncRun {
  id: number;
  connector: string;
  mode: 'incremental' | 'full';
  trigger: string;
  actor: string | null;
  status: 'running' | 'succeeded' | 'failed';
  via: Record<string, 'rest' | 'bulk'> | null;
  counts: Record<string, { fetched: number; upserted: number; deleted: number }> | null;
  reconciliation: Record<string, number> | null;
  writeBack: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
  startedAt: string;
  finishedAt: string | null;
}

const RUN_COLUMNS = `id, connector, mode, trigger, actor, status, via, counts, reconciliation, write_back as "writeBack", error,
  to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "startedAt",
  to_char(finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "finishedAt"`;

export interface ClaimedRun {
  runId: number;
  /** Runs found 'running' that were marked failed because their owner is gone. */
  interrupted: number[];
  release(): Promise<void>;
}

const INTERRUPTED = { code: 'INTERRUPTED', message: 'The engine stopped during this sync; nothing from it was applied. The next run resumes from the stored watermarks.' };

/**
 * Claim the Salesforce sync for one run. On PostgreSQL a session advisory lock proves no other
 * instance is syncing (a crashed instance's lock dies with its connection), so leftover 'running'
 * rows are marked interrupted. On the embedded store (one process) the partial unique index on
 * running runs is the guard, and a run whose heartbeat stopped is taken as crashed.
 */
export async function claimSyncRun(db: Database, p: { mode: 'incremental' | 'full'; trigger: string; actor?: string | null }): Promise<ClaimedRun> {
  let unlock: () => Promise<void> = async () => {};
  if (db.kind === 'postgres') {
    const reserved = await db.sql.reserve();
    const [row] = await reserved<{ locked: boolean }[]>`select pg_try_advisory_lock(${SALESFORCE_SYNC_LOCK}) as locked`;
    if (!row!.locked) {
      reserved.release();
      const [running] = await db.sql<{ id: number }[]>`select id from sync_runs where connector = 'salesforce' and status = 'running'`;
      throw new SyncAlreadyRunningError(running?.id);
    }
    unlock = async () => {
      await reserved`select pg_advisory_unlock(${SALESFORCE_SYNC_LOCK})`.catch(() => undefined);
      reserved.release();
    };
  }
  try {
    // With the advisory lock held every 'running' row is an orphan; without it only silent ones are.
    const everyRunning = db.kind === 'postgres';
    const interrupted = await db.sql<{ id: number }[]>`
      update sync_runs set status = 'failed', finished_at = now(), error = ${db.sql.json(INTERRUPTED)}
      where connector = 'salesforce' and status = 'running' and (${everyRunning}::boolean or heartbeat_at < now() - ${`${STALE_RUN_MS / 1000} seconds`}::interval)
      returning id`;
    if (interrupted.length) await db.sql`delete from sf_sync_stage where run_id in ${db.sql(interrupted.map((r) => r.id))}`;
    let runId: number;
    try {
      const [run] = await db.sql<{ id: number }[]>`
        insert into sync_runs (connector, mode, trigger, actor) values ('salesforce', ${p.mode}, ${p.trigger}, ${p.actor ?? null})
        returning id`;
      runId = run!.id;
    } catch (err) {
      if ((err as { code?: string }).code === '23505') {
        const [running] = await db.sql<{ id: number }[]>`select id from sync_runs where connector = 'salesforce' and status = 'running'`;
        throw new SyncAlreadyRunningError(running?.id);
      }
      throw err;
    }
    return { runId, interrupted: interrupted.map((r) => r.id), release: unlock };
  } catch (err) {
    await unlock();
    throw err;
  }
}

export async function heartbeat(sql: Queryable, runId: number): Promise<void> {
  await sql`update sync_runs set heartbeat_at = now() where id = ${runId}`;
}

export async function failSyncRun(sql: Queryable, runId: number, error: { code: string; message: string }, extra: { via?: unknown; counts?: unknown } = {}): Promise<void> {
  await sql`delete from sf_sync_stage where run_id = ${runId}`;
  await sql`
    update sync_runs set status = 'failed', finished_at = now(), error = ${sql.json(error)},
      via = ${extra.via ? sql.json(extra.via as never) : null}, counts = ${extra.counts ? sql.json(extra.counts as never) : null}
    where id = ${runId}`;
}

export async function getSyncRun(sql: Queryable, id: number): Promise<SyncRun | undefined> {
  const [row] = await sql.unsafe<SyncRun[]>(`select ${RUN_COLUMNS} from sync_runs where id = $1`, [id]);
  return row;
}

export async function listSyncRuns(sql: Queryable, p: { connector?: string; limit: number; offset: number }): Promise<{ items: SyncRun[]; total: number }> {
  const connector = p.connector ?? 'salesforce';
  const items = await sql.unsafe<SyncRun[]>(`select ${RUN_COLUMNS} from sync_runs where connector = $1 order by id desc limit $2 offset $3`, [connector, p.limit, p.offset]);
  const [total] = await sql<{ n: number }[]>`select count(*)::int as n from sync_runs where connector = ${connector}`;
  return { items, total: total!.n };
}

export async function readWatermarks(sql: Queryable, connector = 'salesforce'): Promise<Map<string, Date>> {
  const rows = await sql<{ object: string; watermark: Date }[]>`select object, watermark from sync_watermarks where connector = ${connector}`;
  return new Map(rows.map((r) => [r.object, r.watermark]));
}

export async function writeWatermark(sql: Queryable, p: { object: string; watermark: Date; runId: number; connector?: string }): Promise<void> {
  await sql`
    insert into sync_watermarks (connector, object, watermark, run_id) values (${p.connector ?? 'salesforce'}, ${p.object}, ${p.watermark}, ${p.runId})
    on conflict (connector, object) do update set watermark = excluded.watermark, run_id = excluded.run_id, updated_at = now()`;
}
