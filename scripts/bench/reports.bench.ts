/**
 * npm run bench:reports — client performance reports (pdfmake + Chart.js on @napi-rs/canvas) on a generated book.
 * Creates a fresh PostgreSQL database on BENCH_DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/test),
 * generates N clients (one portfolio each) × Y years of business-day valuations, corpus flows, a 15-security holdings
 * snapshot and monthly trades and fees, computes the analytics (computeBook), then times:
 *   (a) one client report, data load + render, warm: median of 20 (after 3 warm-up renders);
 *   (b) a pack of N client reports as of the last month-end, each loaded, rendered and written to disk, one at a time;
 * and prints peak RSS while reporting, RSS every 50 reports of the pack (flat = no growth), and the targets: (a) < 300 ms,
 * (b) 500 reports < 2 min. Flags: --clients=500 --years=5 --url=… --keep (keep the database and the PDFs).
 * The machine's cores are shared: run it sparingly.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { CONNECTION_OPTIONS } from '../../engine/src/db/client.js';
import { migrate } from '../../engine/src/db/migrate.js';
import { configDir } from '../../engine/src/env.js';
import { computeBook } from '../../engine/src/features/analytics/book-compute.js';
import { syncReferenceData } from '../../engine/src/features/reference-data/sync-reference-data.js';
import { loadClientReportData, monthStart } from '../../engine/src/features/reports/client-report-data.js';
import { lastMonthEnd } from '../../engine/src/features/reports/reports-settings.js';
import { ALL_CLIENTS } from '../../engine/src/lib/scope.js';
import { loadBranding } from '../../engine/src/reports/branding.js';
import { renderClientReport } from '../../engine/src/reports/client-report.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const ADMIN_URL = arg('url', process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const CLIENTS = Number(arg('clients', '500'));
const YEARS = Number(arg('years', '5'));
const KEEP = process.argv.includes('--keep');
const START = '2021-01-01';
const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
const s = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

async function generate(sql: postgres.Sql) {
  await sql`insert into relationship_managers (rm_code, name) select 'BRM' || g, 'Bench RM ' || g from generate_series(1, 20) g`;
  await sql`insert into clients (client_code, name, rm_id, onboarding_date, salesforce_account_id)
            select 'BC' || g, 'Bench Client ' || g, (select id from relationship_managers where rm_code = 'BRM' || (1 + g % 20)), ${START}::date,
                   '001BENCH' || lpad(g::text, 10, '0')
            from generate_series(1, ${CLIENTS}) g`;
  await sql`insert into portfolios (portfolio_code, client_id, strategy_id, inception_date, management_fee_rate, performance_fee_rate)
            select 'BP' || lpad(g::text, 6, '0'), (select id from clients where client_code = 'BC' || g),
                   (select id from strategies order by id offset (g % 6) limit 1), ${START}::date + (g % 60)::int, 0.015, case when g % 2 = 0 then 0.2 end
            from generate_series(1, ${CLIENTS}) g`;
  await sql`create table bench_days as
            select (row_number() over (order by d) - 1)::int as t, d::date as d
            from generate_series(${START}::date, ${START}::date + ${YEARS * 365}::int, interval '1 day') d where extract(isodow from d) < 6`;
  await sql`insert into index_values (index_code, value_date, value)
            select i.code, d.d, round((1000 * exp(0.0004::float8 * d.t + 0.1::float8 * sin(d.t / 41.0::float8 + i.k)))::numeric, 6)
            from bench_days d cross join (select code, row_number() over (order by code) as k from indices) i`;
  const nav = `100 * exp(0.0004::float8 * d.t + 0.08::float8 * sin(d.t / 37.0::float8 + p.id) + 0.02::float8 * sin(d.t * 1.7::float8 + p.id * 3.1::float8))`;
  await sql`create table bench_starts as select p.id, min(d.t) as t0 from portfolios p join bench_days d on d.d >= p.inception_date group by p.id`;
  await sql.unsafe(`
    insert into valuations (portfolio_id, valuation_date, market_value)
    select p.id, d.d, round((5000000 * (1 + 0.1::float8 * ((d.t - p.t0) / 250)) * ${nav} / 100)::numeric, 2)
    from bench_starts p join bench_days d on d.t >= p.t0`);
  await sql.unsafe(`
    insert into capital_flows (portfolio_id, source_key, flow_date, type_code, amount)
    select p.id, 'B' || d.t, d.d, 'CS+', round((case when d.t = p.t0 then 5000000 else 500000 end * ${nav} / 100)::numeric, 2)
    from bench_starts p join bench_days d on d.t >= p.t0 and (d.t - p.t0) % 250 = 0`);
  await sql`insert into securities (security_key, isin, name, asset_class, sector)
            select 'INE' || lpad(g::text, 6, '0') || 'A0' || (g % 10), 'INE' || lpad(g::text, 6, '0') || 'A0' || (g % 10), 'Bench Security ' || g,
                   case when g % 5 = 0 then 'Debt' else 'Equity' end, (array['Financials','Energy','IT','Consumer','Healthcare','Industrials','Government'])[1 + g % 7]
            from generate_series(1, 60) g`;
  const [{ last }] = (await sql`select max(d)::text as last from bench_days`) as unknown as [{ last: string }];
  await sql`insert into holdings (portfolio_id, as_of_date, security_id, quantity, market_value)
            select p.id, ${last}::date, s.id, 100 + s.id * 7, round((v.market_value * (1 + (s.id % 15)) / 120)::numeric, 2)
            from portfolios p join valuations v on v.portfolio_id = p.id and v.valuation_date = ${last}::date
            join securities s on (s.id + p.id) % 4 = 0 and s.id <= 60`;
  // ~20 trades a month and a quarterly management fee per portfolio
  await sql`insert into transactions (portfolio_id, source_key, trade_date, type_code, classification, security_id, quantity, rate, net_amount)
            select p.id, 'T' || d.t, d.d, case when d.t % 2 = 0 then 'BY-' else 'SL+' end, 'trade', 1 + (d.t * 7 + p.id) % 60, 10 + d.t % 90, 1234.5, (10 + d.t % 90) * 1234.5
            from bench_starts p join bench_days d on d.t >= p.t0`;
  await sql`insert into transactions (portfolio_id, source_key, trade_date, type_code, classification, net_amount, service_tax)
            select p.id, 'F' || d.t, d.d, 'MGF', 'fee', -round((v.market_value * 0.015 / 4)::numeric, 2), round((v.market_value * 0.015 / 4 * 0.18 / 1.18)::numeric, 2)
            from bench_starts p join bench_days d on d.t > p.t0 and extract(month from d.d) in (3, 6, 9, 12)
              and d.d = (select max(x.d) from bench_days x where date_trunc('month', x.d) = date_trunc('month', d.d))
            join valuations v on v.portfolio_id = p.id and v.valuation_date = d.d`;
  await sql`drop table bench_days, bench_starts`;
  await sql`analyze`;
}

async function main() {
  const name = `pmshub_bench_reports_${Date.now()}`;
  const admin = postgres(ADMIN_URL, { ...CONNECTION_OPTIONS, max: 1 });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { ...CONNECTION_OPTIONS, max: 4 });
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-reports-'));
  try {
    process.stdout.write(`reports bench: ${CLIENTS} clients × ${YEARS} years of business days (${os.cpus().length} cores)\n`);
    await migrate(sql);
    await syncReferenceData(sql, configDir({}));
    let t0 = performance.now();
    await generate(sql);
    process.stdout.write(`  generate: ${s(performance.now() - t0)}\n`);
    t0 = performance.now();
    await computeBook(sql, { full: true, kind: 'postgres' });
    process.stdout.write(`  analytics (computeBook full): ${s(performance.now() - t0)}\n`);
    const branding = loadBranding(configDir({}));
    const ids = (await sql<{ id: number }[]>`select id from clients order by id`).map((r) => r.id);
    const [{ asOf }] = (await sql`select max(valuation_date)::text as "asOf" from valuations`) as unknown as [{ asOf: string }];
    const periodEnd = lastMonthEnd(asOf);

    const setupPeak = peakRss;
    peakRss = process.memoryUsage().rss; // from here on: the reports only
    const one = async (clientId: number, at?: string) => {
      const data = await loadClientReportData(sql, { scope: ALL_CLIENTS, clientId, asOf: at, from: at ? monthStart(at) : undefined, to: at });
      return renderClientReport(data!, branding);
    };
    for (let i = 0; i < 3; i++) await one(ids[0]!);
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      bytes = (await one(ids[0]!)).length;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const median = (times[9]! + times[10]!) / 2;
    process.stdout.write(`  (a) one client report (as of ${asOf}), warm, median of 20: ${s(median)}  [min ${s(times[0]!)}, max ${s(times[19]!)}, ${(bytes / 1024).toFixed(0)} KB]\n`);

    const rssAt: string[] = [mb(process.memoryUsage().rss)];
    t0 = performance.now();
    let total = 0;
    for (const [i, id] of ids.entries()) {
      const pdf = await one(id, periodEnd);
      fs.writeFileSync(path.join(out, `report-${id}.pdf`), pdf);
      total += pdf.length;
      if ((i + 1) % 50 === 0) rssAt.push(mb(process.memoryUsage().rss));
    }
    const packMs = performance.now() - t0;
    process.stdout.write(`  (b) pack of ${ids.length} client reports as of ${periodEnd}, written to disk: ${s(packMs)}  [${s(packMs / ids.length)} each, ${mb(total)} of PDF]\n`);
    process.stdout.write(`  RSS at the start of the pack and every 50 reports: ${rssAt.join(', ')}\n`);
    process.stdout.write(`  peak RSS while reporting: ${mb(peakRss)} (setup — generation and computeBook in this process — peaked at ${mb(setupPeak)})\n`);
    process.stdout.write(`  targets: one report < 300 ms: ${median < 300 ? 'met' : 'MISSED'}; 500 reports < 2 min: ${(packMs * 500) / ids.length < 120_000 ? 'met' : 'MISSED'}\n`);
  } finally {
    clearInterval(sampler);
    await sql.end({ timeout: 5 });
    if (!KEEP) {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      fs.rmSync(out, { recursive: true, force: true });
    } else process.stdout.write(`  kept: database ${name}, PDFs in ${out}\n`);
    await admin.end();
  }
}

await main();
