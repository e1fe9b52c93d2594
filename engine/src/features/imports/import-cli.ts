import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnv } from '../../env.js';
import { IMPORT_KINDS, type ImportKind } from '../../connectors/wealth-spectrum/mapping.js';
import { ImportRejectedError } from '../../lib/errors.js';
import { createLogger } from '../../lib/logger.js';
import { prepare } from '../../prepare.js';
import { importDepsOf, runImport } from './run-import.js';

const usage = `Usage: npm run import -- --kind <${IMPORT_KINDS.join('|')}> <file>`;
const { values, positionals } = parseArgs({ options: { kind: { type: 'string' } }, allowPositionals: true });
const kind = values.kind as ImportKind | undefined;
if (!kind || !IMPORT_KINDS.includes(kind) || positionals.length !== 1) {
  console.error(usage);
  process.exit(2);
}

const env = loadEnv();
const deps = await prepare(env, createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL));
let code = 0;
try {
  const run = await runImport(
    importDepsOf(deps),
    { kind, filePath: path.resolve(positionals[0]!), source: 'cli', actor: `cli:${os.userInfo().username}` },
  );
  console.log(JSON.stringify(run, null, 2));
} catch (err) {
  code = 1;
  if (err instanceof ImportRejectedError) {
    console.error(`Rejected (${err.code}): ${err.message}`);
    for (const p of err.problems) {
      console.error(`  row ${p.row}${p.column ? `, column ${p.column}` : ''}${p.columnName ? ` (${p.columnName})` : ''}${p.value !== null ? ` "${p.value}"` : ''}: ${p.message}`);
    }
  } else {
    console.error(err);
  }
} finally {
  await deps.db.close();
}
process.exit(code);
