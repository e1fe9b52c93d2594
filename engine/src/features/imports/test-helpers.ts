import path from 'node:path';
import { configDir } from '../../env.js';
import { loadImportMapping } from '../../connectors/wealth-spectrum/mapping.js';
import type { Database } from '../../db/client.js';
import { syncReferenceData } from '../reference-data/sync-reference-data.js';
import type { ImportKind } from '../../connectors/wealth-spectrum/mapping.js';
import { runImport, type ImportDeps } from './run-import.js';

export const FIXTURES = path.join(import.meta.dirname, 'fixtures');
export const fixture = (name: string) => path.join(FIXTURES, name);

export async function importDeps(db: Database, maxBytes = 50 * 1024 * 1024): Promise<ImportDeps> {
  const dir = configDir({});
  await syncReferenceData(db.sql, dir);
  return { db, mapping: loadImportMapping(dir), maxBytes };
}

/** The good fixture book, in dependency order. */
export const OK_BOOK: [ImportKind, string][] = [
  ['benchmark-values', 'ok/benchmark_values.csv'],
  ['relationship-managers', 'ok/rm_master.csv'],
  ['clients', 'ok/client_master.csv'],
  ['clients', 'ok/client_master_cp1252.csv'],
  ['portfolios', 'ok/portfolio_master.csv'],
  ['transactions', 'ok/transaction_statement.csv'],
  ['capital-flows', 'ok/capital_register.csv'],
  ['holdings', 'ok/portfolio_appraisal.xlsx'],
  ['valuations', 'ok/valuations.csv'],
];

export async function importOkBook(deps: ImportDeps) {
  const runs = [];
  for (const [kind, file] of OK_BOOK) runs.push(await runImport(deps, { kind, filePath: fixture(file), source: 'cli' }));
  return runs;
}
