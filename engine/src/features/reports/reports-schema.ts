import fs from 'node:fs';
import path from 'node:path';
import type { Queryable } from '../../db/client.js';

/**
 * The report tables. They belong in engine/migrations/00006_reports/index.sql, but migration 00005 does not exist
 * yet and the runner refuses a gap, so until it does the same idempotent DDL is applied on first use.
 */
export const REPORTS_SCHEMA_SQL = fs.readFileSync(path.join(import.meta.dirname, 'reports-schema.sql'), 'utf8');

const ready = new WeakSet<object>();
export async function ensureReportTables(sql: Queryable): Promise<void> {
  if (ready.has(sql)) return;
  const [row] = await sql<{ ok: boolean }[]>`select to_regclass('report_attachments') is not null as ok`;
  if (!row!.ok) await sql.unsafe(REPORTS_SCHEMA_SQL);
  ready.add(sql);
}
