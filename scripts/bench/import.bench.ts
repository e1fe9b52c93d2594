/**
 * npm run bench:import — 1,000,000 Wealth Spectrum transaction rows through the normal import path
 * (parse, validate, stage, merge) into a fresh PostgreSQL database, versus plain COPY of the same rows
 * into a table of the same shape; then the same import on embedded PGlite.
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names the server; BENCH_ROWS the size.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import postgres from 'postgres';
import { CONNECTION_OPTIONS, openDatabase, type Database } from '../../engine/src/db/client.js';
import { migrate } from '../../engine/src/db/migrate.js';
import { configDir, loadEnv } from '../../engine/src/env.js';
import { loadImportMapping } from '../../engine/src/connectors/wealth-spectrum/mapping.js';
import { runImport } from '../../engine/src/features/imports/run-import.js';
import { syncReferenceData } from '../../engine/src/features/reference-data/sync-reference-data.js';
import { feedRows, writeTransactionFeed } from './transaction-feed.js';

const benchEnv = loadEnv();
const ROWS = Number(process.argv.find((a) => a.startsWith('--rows='))?.slice(7) ?? 1_000_000);
const ADMIN_URL = process.argv.find((a) => a.startsWith('--url='))?.slice(6) ?? benchEnv.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SKIP_EMBEDDED = process.argv.includes('--no-embedded');
const ACCOUNTS = Array.from({ length: 200 }, (_, i) => `WS${String(900000 + i).padStart(7, '0')}`);
const out = path.resolve('bench-out');
fs.mkdirSync(out, { recursive: true });

const fmt = (n: number) => Math.round(n).toLocaleString('en-IN');
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

async function seedBook(db: Database) {
  await migrate(db.sql);
  await syncReferenceData(db.sql, configDir({}));
  await db.sql`insert into relationship_managers (rm_code, name) values ('RM900', 'Bench RM')`;
  await db.sql`insert into clients (client_code, name, rm_id, onboarding_date) select 'CB' || g, 'Bench client ' || g, (select id from relationship_managers where rm_code = 'RM900'), '2019-04-01' from generate_series(1, 200) g`;
  await db.sql`insert into portfolios (portfolio_code, client_id, strategy_id, inception_date)
               select (${db.sql.array(ACCOUNTS)}::text[])[g], c.id, (select id from strategies where code = 'LCE'), '2019-04-01'
               from generate_series(1, 200) g join clients c on c.client_code = 'CB' || g`;
}

async function timedImport(db: Database, file: string) {
  const mapping = loadImportMapping(configDir({}));
  const t0 = performance.now();
  peakRss = process.memoryUsage().rss;
  const rssBefore = peakRss;
  const phases: Record<string, number> = {};
  const log = { info: (o: { phasesMs?: Record<string, number> }) => Object.assign(phases, o.phasesMs ?? {}), warn: () => {}, error: () => {} } as never;
  const run = await runImport({ db, mapping, maxBytes: Number.MAX_SAFE_INTEGER, log }, { kind: 'transactions', filePath: file, source: 'bench' });
  const s = (performance.now() - t0) / 1000;
  if (run.inserted !== ROWS) throw new Error(`expected ${ROWS} inserted, got ${run.inserted}`);
  return { s, rate: ROWS / s, rssGrowthMb: (peakRss - rssBefore) / 2 ** 20, phases };
}

async function freshDatabase(): Promise<{ db: Database; drop: () => Promise<void> }> {
  const name = `pmshub_bench_${Date.now()}`;
  const admin = postgres(ADMIN_URL, { ...CONNECTION_OPTIONS, max: 1 });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
  return {
    db,
    drop: async () => {
      await db.close();
      await admin.unsafe(`drop database ${name} with (force)`);
      await admin.end();
    },
  };
}

/** The same rows in COPY text form, portfolio ids resolved, values canonical. */
async function writeCopyFile(db: Database, file: string) {
  const ids = new Map((await db.sql<{ portfolio_code: string; id: number }[]>`select portfolio_code, id from portfolios`).map((r) => [r.portfolio_code, r.id]));
  const securityIds = new Map((await db.sql<{ isin: string; id: number }[]>`select isin, id from securities where isin is not null`).map((r) => [r.isin, r.id]));
  const [{ runId }] = (await db.sql`select max(id) as "runId" from import_runs`) as unknown as [{ runId: number }];
  const cls: Record<string, string> = { 'BY-': 'trade', 'SL+': 'trade', IN1: 'income', MGF: 'fee', 'CS+': 'flow_in', 'CS-': 'flow_out' };
  const lines = function* () {
    let batch: string[] = [];
    for (const r of feedRows(ROWS, ACCOUNTS)) {
      const money = (p: bigint | null) => (p === null ? '\\N' : (Number(p) / 100).toFixed(2));
      batch.push([ids.get(r.account), `REF:${r.ref}`, r.date, r.date, r.type, cls[r.type], r.type === 'BY-' ? 'Purchase' : r.type === 'SL+' ? 'Sale' : 'Cash', r.isin ? securityIds.get(r.isin) : '\\N', r.qty ?? '\\N', r.ratePaise === null ? '\\N' : (Number(r.ratePaise) / 100).toFixed(2), money(r.amountPaise), money(r.brokeragePaise), '\\N', '\\N', '\\N', r.ref, '\\N', runId].join('\t'));
      if (batch.length === 5000) {
        yield `${batch.join('\n')}\n`;
        batch = [];
      }
    }
    if (batch.length) yield `${batch.join('\n')}\n`;
  };
  await pipeline(Readable.from(lines()), fs.createWriteStream(file));
}

async function main() {
  const feed = path.join(out, `transaction_statement_${ROWS}.csv`);
  if (!fs.existsSync(feed)) {
    process.stdout.write(`generating ${fmt(ROWS)} rows… `);
    const bytes = await writeTransactionFeed(feed, ROWS, ACCOUNTS);
    console.log(`${(bytes / 2 ** 20).toFixed(1)} MB`);
  }

  // PostgreSQL: import path
  const pg = await freshDatabase();
  await seedBook(pg.db);
  const imp = await timedImport(pg.db, feed);

  // PostgreSQL: plain COPY of the same rows into a table of the same shape (identity, checks, indexes, foreign keys)
  const copyFile = path.join(out, `transactions_${ROWS}.copy`);
  await writeCopyFile(pg.db, copyFile);
  await pg.db.sql`create table bench_copy_transactions (like transactions including defaults including identity including constraints including indexes)`;
  // LIKE does not copy foreign keys: add the real table's, so both loads are checked alike.
  await pg.db.sql`alter table bench_copy_transactions
    add foreign key (portfolio_id) references portfolios (id), add foreign key (security_id) references securities (id),
    add foreign key (import_run_id) references import_runs (id)`;
  const t0 = performance.now();
  const writable = await pg.db.sql`copy bench_copy_transactions (portfolio_id, source_key, trade_date, settlement_date, type_code, classification, description, security_id, quantity, rate, net_amount, brokerage, stt, service_tax, total_fees, reference, memo, import_run_id) from stdin`.writable();
  await pipeline(fs.createReadStream(copyFile, { highWaterMark: 1 << 20 }), writable);
  const copyS = (performance.now() - t0) / 1000;
  const [{ n }] = (await pg.db.sql`select count(*)::int as n from bench_copy_transactions`) as unknown as [{ n: number }];
  if (n !== ROWS) throw new Error(`COPY loaded ${n} rows`);
  await pg.drop();
  fs.rmSync(copyFile);

  const copyRate = ROWS / copyS;
  console.log(`\nbench:import — ${fmt(ROWS)} transaction rows (${(fs.statSync(feed).size / 2 ** 20).toFixed(0)} MB CSV), ${os.cpus().length} cores`);
  console.log(`  PostgreSQL import path   ${imp.s.toFixed(2)} s   ${fmt(imp.rate)} rows/s   peak RSS growth ${imp.rssGrowthMb.toFixed(0)} MB   phases ${JSON.stringify(imp.phases)}`);
  console.log(`  PostgreSQL plain COPY    ${copyS.toFixed(2)} s   ${fmt(copyRate)} rows/s`);
  console.log(`  ratio import / COPY      ${((imp.rate / copyRate) * 100).toFixed(1)} %   (target ≥ 50 %)`);

  if (!SKIP_EMBEDDED) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pglite-'));
    const db = await openDatabase({ dataDir: dir });
    await seedBook(db);
    const emb = await timedImport(db, feed);
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`  embedded PGlite import   ${emb.s.toFixed(2)} s   ${fmt(emb.rate)} rows/s   peak RSS growth ${emb.rssGrowthMb.toFixed(0)} MB   phases ${JSON.stringify(emb.phases)}`);
  }
  clearInterval(sampler);
}

await main();
