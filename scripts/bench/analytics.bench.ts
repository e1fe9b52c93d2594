/**
 * npm run bench:analytics — the analytics engine at the size of India's largest PMS books.
 * Generates (server-side, generate_series) N portfolios × Y years of business-day valuations with corpus flows into a
 * fresh PostgreSQL database, then times:
 *   (stream) PostgreSQL alone streaming the valuation rows out: COPY valuations TO STDOUT;
 *   (a) a full recompute of every series and metric (portfolios, clients, RMs, teams, strategies, firm);
 *   (b) the incremental update after importing one more day for the whole book (through the normal import path);
 *   (c) 1,000 XIRR solves of 500 flows each (pure, in process).
 * Prints each figure and the ratio (a)/(stream). Targets: (a) ≤ 3× stream, (b) < 5 s, (c) < 1 s.
 * Flags: --portfolios=10000 --years=10 --url=postgres://postgres@127.0.0.1:5432/test --keep (do not drop the database)
 * The database is created and dropped by the script. The machine's cores are shared: run it sparingly.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { CONNECTION_OPTIONS, type Database } from '../../engine/src/db/client.js';
import { migrate } from '../../engine/src/db/migrate.js';
import { configDir, loadEnv } from '../../engine/src/env.js';
import { loadImportMapping } from '../../engine/src/connectors/wealth-spectrum/mapping.js';
import { runImport } from '../../engine/src/features/imports/run-import.js';
import { syncReferenceData } from '../../engine/src/features/reference-data/sync-reference-data.js';
import { computeBook } from '../../engine/src/features/analytics/book-compute.js';
import { xirr } from '../../engine/src/analytics/index.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const env = loadEnv();
const PORTFOLIOS = Number(arg('portfolios', '10000'));
const YEARS = Number(arg('years', '10'));
const ADMIN_URL = arg('url', env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const KEEP = process.argv.includes('--keep');
const CLIENTS = Math.max(1, Math.round(PORTFOLIOS * 0.8));
const RMS = Math.max(2, Math.round(PORTFOLIOS / 100));
const START = '2015-12-31';
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const fmt = (n: number) => n.toLocaleString('en-IN');

async function timed<T>(label: string, f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  const ms = performance.now() - t0;
  process.stdout.write(`  ${label}: ${s(ms)}\n`);
  return { ms, value };
}

async function generate(sql: postgres.Sql) {
  await sql`insert into relationship_managers (rm_code, name) select 'BRM' || g, 'Bench RM ' || g from generate_series(1, ${RMS}) g`;
  // Every tenth RM heads a team of the next nine.
  await sql`update relationship_managers r set manager_id = m.id from relationship_managers m
            where r.rm_code <> m.rm_code and m.rm_code = 'BRM' || (((substr(r.rm_code, 4)::int - 1) / 10) * 10 + 1)`;
  await sql`insert into clients (client_code, name, rm_id, onboarding_date)
            select 'BC' || g, 'Bench client ' || g, (select id from relationship_managers where rm_code = 'BRM' || (1 + g % ${RMS})), ${START}::date
            from generate_series(1, ${CLIENTS}) g`;
  await sql`insert into portfolios (portfolio_code, client_id, strategy_id, inception_date)
            select 'BP' || lpad(g::text, 7, '0'), (select id from clients where client_code = 'BC' || (1 + (g - 1) % ${CLIENTS})),
                   (select id from strategies order by id offset (g % 6) limit 1), ${START}::date + 1 + (g % 90)
            from generate_series(1, ${PORTFOLIOS}) g`;
  await sql`create table bench_days as
            select (row_number() over (order by d) - 1)::int as t, d::date as d
            from generate_series(${START}::date, ${START}::date + (${YEARS} * 365 + ${Math.floor(YEARS / 4)}), interval '1 day') d
            where extract(isodow from d) < 6`;
  await sql`insert into index_values (index_code, value_date, value)
            select i.code, d.d, round((1000 * exp(0.0004::float8 * d.t + 0.1::float8 * sin(d.t / 41.0::float8 + i.k) + 0.01::float8 * sin(d.t * 1.9::float8 + i.k)))::numeric, 6)
            from bench_days d cross join (select code, row_number() over (order by code) as k from indices) i`;
  // Valuation = units × NAV; NAV a deterministic wiggle, units step up by 10% every 250 business days (a corpus inflow
  // of 10% of the initial units at that day's NAV), so flows and values agree without a running window.
  const nav = (t: string, id: string) => `100 * exp(0.0004::float8 * ${t} + 0.08::float8 * sin(${t} / 37.0::float8 + ${id}) + 0.02::float8 * sin(${t} * 1.7::float8 + ${id} * 3.1::float8))`;
  await sql`alter table valuations disable trigger user`;
  await sql`alter table capital_flows disable trigger user`;
  // Each portfolio's first business day index, materialised once (a correlated subquery inside the join is re-run per row).
  await sql`create table bench_starts as
            select p.id, min(d.t) as t0 from portfolios p join bench_days d on d.d >= p.inception_date group by p.id`;
  await sql`analyze bench_days`;
  await sql`analyze bench_starts`;
  const chunk = 1000;
  for (let lo = 1; lo <= PORTFOLIOS; lo += chunk) {
    await sql.unsafe(`
      insert into valuations (portfolio_id, valuation_date, market_value)
      select p.id, d.d, round((100000 * (1 + 0.1::float8 * ((d.t - p.t0) / 250)) * ${nav('d.t', 'p.id')})::numeric, 2)
      from bench_starts p
      join bench_days d on d.t >= p.t0
      where p.id between ${lo} and ${lo + chunk - 1}
      order by p.id, d.d`);
    await sql.unsafe(`
      insert into capital_flows (portfolio_id, source_key, flow_date, type_code, amount)
      select p.id, 'B' || d.t, d.d, 'CS+', round((case when d.t = p.t0 then 100000 else 10000 end * ${nav('d.t', 'p.id')})::numeric, 2)
      from bench_starts p
      join bench_days d on d.t >= p.t0 and (d.t - p.t0) % 250 = 0
      where p.id between ${lo} and ${lo + chunk - 1}`);
  }
  await sql`alter table valuations enable trigger user`;
  await sql`alter table capital_flows enable trigger user`;
  await sql`drop table bench_days, bench_starts`;
  await sql`vacuum analyze valuations`;
  await sql`vacuum analyze capital_flows`;
  await sql`analyze`;
}

async function streamValuations(sql: postgres.Sql): Promise<number> {
  let bytes = 0;
  const readable = await sql`copy valuations to stdout`.readable();
  await pipeline(
    readable,
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        cb();
      },
    }),
  );
  return bytes;
}

async function main() {
  const name = `pmshub_bench_analytics_${Date.now()}`;
  const admin = postgres(ADMIN_URL, { ...CONNECTION_OPTIONS, max: 1 });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { ...CONNECTION_OPTIONS, max: 4 });
  const db: Database = { sql, kind: 'postgres', url: url.toString(), close: () => sql.end({ timeout: 5 }) };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-analytics-'));
  try {
    process.stdout.write(`analytics bench: ${fmt(PORTFOLIOS)} portfolios, ${fmt(CLIENTS)} clients, ${fmt(RMS)} RMs, ${YEARS} years of business days (${os.cpus().length} cores)\n`);
    await migrate(sql);
    await syncReferenceData(sql, configDir({}));
    await timed('generate (server-side generate_series)', () => generate(sql));
    const [{ n: rows } = { n: 0 }] = await sql<{ n: number }[]>`select count(*)::int as n from valuations`;
    process.stdout.write(`  valuation rows: ${fmt(rows)}\n`);

    const stream = await timed('(stream) COPY valuations TO STDOUT', () => streamValuations(sql));
    process.stdout.write(`    ${(stream.value / 2 ** 20).toFixed(0)} MB streamed\n`);

    const full = await timed('(a) full recompute', () => computeBook(sql, { full: true, kind: 'postgres' }));
    process.stdout.write(`    ${JSON.stringify({ seriesRows: full.value.seriesRows, metricRows: full.value.metricRows, phasesMs: full.value.phasesMs })}\n`);

    // One more business day for the whole book, through the import path (a Wealth Spectrum valuations export).
    const [{ last }] = (await sql`select max(valuation_date)::text as last from valuations`) as unknown as [{ last: string }];
    const next = new Date(`${last}T00:00:00Z`);
    do next.setUTCDate(next.getUTCDate() + 1);
    while (next.getUTCDay() === 0 || next.getUTCDay() === 6);
    const nextIso = next.toISOString().slice(0, 10);
    const dmy = nextIso.split('-').reverse().join('/');
    const closing = await sql<{ code: string; v: string }[]>`
      select p.portfolio_code as code, round(v.market_value * 1.001, 2)::text as v from portfolios p
      join valuations v on v.portfolio_id = p.id and v.valuation_date = ${last}::date`;
    const file = path.join(tmp, `valuations_${nextIso}.csv`);
    fs.writeFileSync(file, `ws_account_code,valuation_date,market_value\n${closing.map((c) => `${c.code},${dmy},${c.v}`).join('\n')}\n`);
    await sql`insert into index_values (index_code, value_date, value) select index_code, ${nextIso}::date, value * 1.001 from index_values where value_date = ${last}::date`;
    const mapping = loadImportMapping(configDir({}));
    await timed(`import one more day (${fmt(closing.length)} valuations, not part of (b))`, () =>
      runImport({ db, mapping, maxBytes: Number.MAX_SAFE_INTEGER }, { kind: 'valuations', filePath: file, source: 'bench' }),
    );
    const inc = await timed('(b) incremental recompute after one more day', () => computeBook(sql, { kind: 'postgres' }));
    process.stdout.write(`    ${JSON.stringify({ portfolios: inc.value.portfolios, groups: inc.value.groups, seriesRows: inc.value.seriesRows, metricRows: inc.value.metricRows, phasesMs: inc.value.phasesMs })}\n`);

    // (c) 1,000 XIRR solves of 500 flows each: monthly-ish contributions and withdrawals, a closing value.
    const sets = Array.from({ length: 1000 }, (_, k) => {
      const flows = Array.from({ length: 499 }, (_, i) => ({
        date: new Date(Date.UTC(2010, 0, 1 + i * 7 + (k % 5))).toISOString().slice(0, 10),
        amount: i % 7 === 3 ? 40_000 + k : -(100_000 + ((i * 7919 + k) % 50_000)),
      }));
      flows.push({ date: '2020-01-01', amount: 80_000_000 + k * 10_000 });
      return flows;
    });
    let checksum = 0;
    const c = await timed('(c) 1,000 XIRR solves of 500 flows', async () => {
      for (const flows of sets) checksum += xirr(flows);
    });
    process.stdout.write(`    mean rate ${(checksum / sets.length).toFixed(6)}\n`);

    process.stdout.write('\nresults\n');
    process.stdout.write(`  stream ${s(stream.ms)} | (a) ${s(full.ms)} | (a)/(stream) ${(full.ms / stream.ms).toFixed(2)}× (target ≤ 3×)\n`);
    process.stdout.write(`  (b) ${s(inc.ms)} (target < 5 s) | (c) ${s(c.ms)} (target < 1 s)\n`);
  } finally {
    await sql.end({ timeout: 5 });
    if (!KEEP) await admin.unsafe(`drop database if exists ${name} with (force)`);
    else process.stdout.write(`kept database ${name}\n`);
    await admin.end();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
