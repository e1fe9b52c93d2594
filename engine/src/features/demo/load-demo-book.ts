import path from 'node:path';
import type { AppDeps } from '../../app-env.js';
import { importDepsOf, runImport } from '../imports/run-import.js';
import { createDemoUsers } from './demo-users.js';
import type { ImportKind } from '../../connectors/wealth-spectrum/mapping.js';

interface DemoBookModule {
  generateDemoBook(opts: { outDir: string }): Promise<{ files: { kind: ImportKind; path: string; rows: number }[]; asOf: string }>;
}

/**
 * On an empty store, writes the demo firm as Wealth Spectrum export files and imports them
 * through the normal pipeline, exactly as an operator's files would arrive.
 */
export async function loadDemoBookIfEmpty(deps: AppDeps): Promise<{ loaded: boolean; ms?: number; rows?: number }> {
  const [row] = await deps.db.sql<{ n: number }[]>`select count(*)::int as n from clients`;
  if (row!.n > 0) return { loaded: false };
  const started = Date.now();
  const outDir = path.resolve(deps.env.DATA_DIR, 'demo-book');
  deps.log.info({ event: 'demo', outDir }, 'empty store: generating the demo book');
  const mod = (await import('../../../../scripts/demo-book/generate-demo-book.js')) as DemoBookModule;
  const book = await mod.generateDemoBook({ outDir });
  let rows = 0;
  for (const f of book.files) {
    const run = await runImport(
      importDepsOf(deps, Number.MAX_SAFE_INTEGER),
      { kind: f.kind, filePath: f.path, source: 'demo', actor: 'demo-book' },
    );
    rows += run.rowsTotal;
  }
  await createDemoUsers(deps.db.sql, deps.env.DATA_DIR);
  const ms = Date.now() - started;
  deps.log.info({ event: 'demo', files: book.files.length, rows, asOf: book.asOf, ms }, 'demo book imported');
  return { loaded: true, ms, rows };
}
