import fs from 'node:fs';
import path from 'node:path';
import { ROOT_DIR } from '../env.js';
import type { Sql } from './client.js';

export const MIGRATIONS_DIR = path.join(ROOT_DIR, 'engine', 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Reads `NNNNN_name/index.sql` folders; numbers must run 1, 2, 3… without gaps. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d{5}_/.test(d.name))
    .map((d) => ({
      version: Number(d.name.slice(0, 5)),
      name: d.name.slice(6),
      sql: fs.readFileSync(path.join(dir, d.name, 'index.sql'), 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration numbering has a gap: expected ${i + 1}, found ${m.version} (${m.name})`);
  });
  return migrations;
}

/** Applies pending migrations forward-only, all-or-nothing in one transaction, one migrator at a time. */
export async function migrate(sql: Sql, migrations = readMigrations()): Promise<Migration[]> {
  return sql.begin(async (tx) => {
    // Transaction-scoped lock: concurrent engines starting together apply each migration once.
    await tx`select pg_advisory_xact_lock(7345021)`;
    await tx`create table if not exists schema_migrations (
      version integer primary key, name text not null, applied_at timestamptz not null default now())`;
    const applied = new Set((await tx<{ version: number }[]>`select version from schema_migrations`).map((r) => r.version));
    const pending = migrations.filter((m) => !applied.has(m.version));
    for (const m of pending) {
      await tx.unsafe(m.sql);
      await tx`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`;
    }
    return pending;
  });
}
