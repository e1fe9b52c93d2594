import type { Queryable } from '../../db/client.js';
import type { FileInfo } from '../../connectors/wealth-spectrum/inspect-file.js';

export interface ImportRun {
  id: number;
  kind: string;
  fileName: string;
  fileSha256: string | null;
  fileBytes: string | null;
  format: string | null;
  source: string;
  actor: string | null;
  status: 'running' | 'succeeded' | 'failed';
  rowsTotal: number;
  inserted: number;
  updated: number;
  unchanged: number;
  error: { code: string; message: string; details?: unknown } | null;
  startedAt: string;
  finishedAt: string | null;
}

const columns = (sql: Queryable) => sql`
  id, kind, file_name as "fileName", file_sha256 as "fileSha256", file_bytes::text as "fileBytes", format, source, actor, status,
  rows_total as "rowsTotal", inserted, updated, unchanged, error, started_at as "startedAt", finished_at as "finishedAt"`;

export async function startImportRun(sql: Queryable, p: { kind: string; fileName: string; source: string; actor?: string }): Promise<ImportRun> {
  const [run] = await sql<ImportRun[]>`
    insert into import_runs (kind, file_name, source, actor) values (${p.kind}, ${p.fileName}, ${p.source}, ${p.actor ?? null})
    returning ${columns(sql)}`;
  return run!;
}

export async function finishImportRun(
  sql: Queryable,
  id: number,
  p: { status: 'succeeded' | 'failed'; info?: FileInfo; rowsTotal?: number; inserted?: number; updated?: number; unchanged?: number; error?: unknown },
): Promise<ImportRun> {
  const [run] = await sql<ImportRun[]>`
    update import_runs set status = ${p.status}, finished_at = now(),
      file_sha256 = ${p.info?.sha256 ?? null}, file_bytes = ${p.info?.bytes ?? null}, format = ${p.info?.format ?? null},
      rows_total = ${p.rowsTotal ?? 0}, inserted = ${p.inserted ?? 0}, updated = ${p.updated ?? 0}, unchanged = ${p.unchanged ?? 0},
      error = ${p.error ? sql.json(p.error as never) : null}
    where id = ${id} returning ${columns(sql)}`;
  return run!;
}

export async function listImportRuns(sql: Queryable, p: { page: number; pageSize: number; kind?: string; status?: string }) {
  const where = sql`where (${p.kind ?? null}::text is null or kind = ${p.kind ?? null}) and (${p.status ?? null}::text is null or status = ${p.status ?? null})`;
  const items = await sql<ImportRun[]>`
    select ${columns(sql)} from import_runs ${where} order by id desc limit ${p.pageSize} offset ${(p.page - 1) * p.pageSize}`;
  const [count] = await sql<{ total: number }[]>`select count(*)::int as total from import_runs ${where}`;
  return { items, total: count!.total };
}

export async function getImportRun(sql: Queryable, id: number): Promise<ImportRun | undefined> {
  const [run] = await sql<ImportRun[]>`select ${columns(sql)} from import_runs where id = ${id}`;
  return run;
}

/** Runs left 'running' by a process that died: their transaction was rolled back, so say so. */
export async function markInterruptedRuns(sql: Queryable): Promise<number> {
  const res = await sql`
    update import_runs set status = 'failed', finished_at = now(),
      error = ${sql.json({ code: 'INTERRUPTED', message: 'The engine stopped during this import; nothing from it was written.' })}
    where status = 'running'`;
  return res.count;
}
