/**
 * npm run bench:api — the dashboard API under load on a book of 10,000 clients.
 * Creates a fresh PostgreSQL database on BENCH_DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/test),
 * migrates it and generates the book set-wise in SQL (RMs in a hierarchy, clients, ~13k portfolios, month-end valuations,
 * flows, and the analytics rows the worker would store), starts the real server (@hono/node-server) in a child process
 * on a loopback port, and drives with autocannon, 50 connections for 20 s each:
 *   - a trivial route of the same app (GET /api/auth/me: auth, rate limit, no query beyond the key lookup),
 *   - GET /api/dashboard/executive,
 *   - a filtered, sorted GET /api/clients page;
 * prints requests/s, p50/p95/p99 latency and errors, checks the targets (p95 < 100 ms, 0 errors, each ≥ 25% of the
 * trivial route's throughput), then drops the database. Options: --clients=N --seconds=S --connections=C --url=… --probe (sequential
 * timings only, no load)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import postgres from 'postgres';
import { CONNECTION_OPTIONS } from '../../engine/src/db/client.js';

const arg = (name: string, dflt: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const ADMIN_URL = arg('url', process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const CLIENTS = Number(arg('clients', '10000'));
const SECONDS = Number(arg('seconds', '20'));
const CONNECTIONS = Number(arg('connections', '50'));
const BENCH_KEY = 'pmsk_bench-admin-key-0123456789abcdefghijklmnop';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p97_5: number; p99: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  histograms?: unknown;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

if (process.argv.includes('--serve')) await serve();
else await main();

/** Child process: the real engine on a loopback port against the bench database. */
async function serve() {
  const { serve: honoServe } = await import('@hono/node-server');
  const { createApp } = await import('../../engine/src/app.js');
  const { loadEnv } = await import('../../engine/src/env.js');
  const { prepare } = await import('../../engine/src/prepare.js');
  const { createLogger } = await import('../../engine/src/lib/logger.js');
  const env = loadEnv({ NODE_ENV: 'production', DATABASE_URL: arg('db', ''), LOG_LEVEL: 'silent', PMS_DEMO: 'off', RATE_LIMIT_PER_MINUTE: '100000000', DATABASE_POOL_MAX: '10' });
  const deps = await prepare(env, createLogger('silent'));
  const app = createApp(deps);
  const server = honoServe({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => process.stdout.write(`PORT ${info.port}\n`));
  process.on('SIGTERM', () => {
    server.close();
    void deps.db.close().then(() => process.exit(0));
  });
}

async function generateBook(sql: postgres.Sql) {
  const t0 = performance.now();
  const { migrate } = await import('../../engine/src/db/migrate.js');
  const { syncReferenceData } = await import('../../engine/src/features/reference-data/sync-reference-data.js');
  const { configDir } = await import('../../engine/src/env.js');
  const { createApiKey } = await import('../../engine/src/features/auth/api-keys.js');
  await migrate(sql);
  await syncReferenceData(sql, configDir({}));
  // 1 head, 3 regional managers, 20 RMs (as the demo book).
  await sql`insert into relationship_managers (rm_code, name, city) values ('RM001', 'Head of Advisory', 'Mumbai')`;
  await sql`insert into relationship_managers (rm_code, name, manager_id, city)
            select 'RM00' || g, 'Regional ' || g, (select id from relationship_managers where rm_code = 'RM001'), (array['Mumbai','Delhi','Bengaluru'])[g - 1] from generate_series(2, 4) g`;
  await sql`insert into relationship_managers (rm_code, name, manager_id, city)
            select 'RM' || lpad(g::text, 3, '0'), 'RM ' || g, (select id from relationship_managers where rm_code = 'RM00' || (2 + g % 3)), 'Mumbai' from generate_series(5, 24) g`;
  await sql`
    insert into clients (client_code, name, pan, rm_id, risk_profile, city, state, onboarding_date, status)
    select 'B' || lpad(g::text, 6, '0'), 'Client ' || md5(g::text),
      chr(65 + g % 26) || chr(65 + (g / 26) % 26) || 'CP' || chr(65 + (g / 676) % 26) || lpad((g % 10000)::text, 4, '0') || chr(65 + g % 23),
      rms.ids[1 + g % 20], (array['Conservative','Moderate','Aggressive'])[1 + g % 3],
      (array['Mumbai','Pune','Delhi','Bengaluru','Chennai','Kolkata','Ahmedabad','Hyderabad'])[1 + g % 8],
      (array['Maharashtra','Maharashtra','Delhi','Karnataka','Tamil Nadu','West Bengal','Gujarat','Telangana'])[1 + g % 8],
      date '2020-04-01' + (g * 7919 % 1950), case when g % 20 = 0 then 'Closed' else 'Active' end
    from generate_series(1, ${CLIENTS}) g,
      (select array_agg(id order by id) as ids from relationship_managers where rm_code >= 'RM005') rms`;
  await sql`
    insert into portfolios (portfolio_code, client_id, strategy_id, inception_date, status, management_fee_rate)
    select 'WB' || lpad(c.id::text, 7, '0') || n, c.id, st.ids[1 + (c.id + n) % array_length(st.ids, 1)], c.onboarding_date, c.status, 0.02
    from clients c cross join generate_series(1, 2) n, (select array_agg(id order by id) as ids from strategies) st
    where n = 1 or c.id % 3 = 0`;
  // Month-end valuations from inception to 30-Nov-2025 (closed clients stop a year earlier).
  await sql`
    insert into valuations (portfolio_id, valuation_date, market_value, cash_balance)
    select p.id, d::date, round((5000000 + (p.id % 97) * 100000) * power(1.008 + (p.id % 11) * 0.0005, k)::numeric, 2), 100000
    from portfolios p,
      lateral (select (date_trunc('month', p.inception_date) + make_interval(months => k + 1) - interval '1 day') as d, k
               from generate_series(0, 80) k) m
    where d::date <= case when p.status = 'Closed' then date '2024-11-30' else date '2025-11-30' end`;
  await sql`
    insert into capital_flows (portfolio_id, source_key, flow_date, type_code, amount)
    select id, 'IN-' || id, inception_date, 'CS+', 5000000 + (id % 97) * 100000 from portfolios
    union all select id, 'OUT-' || id, date '2025-06-30', 'CS-', -250000 from portfolios where id % 7 = 0 and inception_date < '2025-06-01'`;
  // Analytics rows as the worker stores them (engine/src/features/analytics/README.md): 1Y and SI per portfolio and client, firm series.
  await sql`insert into analytics_methods (method) values ('bench')`;
  await sql`
    insert into analytics_metrics_stored (entity_type, entity_id, period, as_of, from_date, to_date, days, twrr, twrr_annualized, reported_return, xirr,
      benchmark_return, benchmark_reported, excess_return, annual_volatility, sharpe, closing_value, method_id)
    select e.t, e.id, per.p, '2025-11-30', case per.p when '1Y' then date '2024-11-30' else e.since end, '2025-11-30',
      case per.p when '1Y' then 365 else '2025-11-30'::date - e.since end,
      r, r, r, r + 0.002, 0.11, 0.11, r - 0.11, 0.12 + (e.id % 13) * 0.01, (r - 0.065) / 0.15, e.value, (select id from analytics_methods where method = 'bench')
    from (select 'portfolio' as t, p.id, p.inception_date - 1 as since, v.market_value as value from portfolios p
            join lateral (select market_value from valuations v where v.portfolio_id = p.id order by valuation_date desc limit 1) v on true
          union all
          select 'client', c.id, c.onboarding_date - 1, null from clients c) e
      cross join (values ('1Y'), ('SI')) per(p)
      cross join lateral (select ((e.id * 37) % 61 - 20) / 100.0 as r) rr
    where per.p = 'SI' or e.since <= date '2024-11-30'`;
  // The firm's series, one month-end row per packed month (analytics_series_months), and its entity (the dashboards' as-of date).
  await sql`
    insert into analytics_series_months (entity_type, entity_id, month, c_value, c_log_growth, c_n, c_s_r, c_s_r2, c_s_dn2, c_pn, c_s_pr, c_s_pr2,
      c_s_b, c_s_b2, c_s_rb, c_peak_log_growth, c_max_drawdown, value, net_flow)
    select 'firm', 0, date_trunc('month', d)::date, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      array_fill(null::bigint, array[extract(day from d)::int - 1]) || (sum(v.market_value) * 100)::bigint, '{}'
    from generate_series(0, 67) k
      cross join lateral (select (date '2020-05-01' + make_interval(months => k) - interval '1 day')::date as d) dd
      join valuations v on v.valuation_date = dd.d
    group by k, d`;
  await sql`insert into analytics_entities (entity_type, entity_id, first_date, as_of, last_value, method)
            select 'firm', 0, '2020-04-30', '2025-11-30', sum(market_value), 'bench' from valuations where valuation_date = '2025-11-30'`;
  await sql`analyze`;
  await createApiKey(sql, { name: 'bench admin', scopes: ['admin'], key: BENCH_KEY });
  const [n] = await sql<{ clients: number; portfolios: number; valuations: number }[]>`
    select (select count(*) from clients)::int as clients, (select count(*) from portfolios)::int as portfolios, (select count(*) from valuations)::int as valuations`;
  console.log(`book: ${n!.clients} clients, ${n!.portfolios} portfolios, ${n!.valuations} valuations, generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function startServer(dbUrl: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [...process.execArgv, import.meta.filename, '--serve', `--db=${dbUrl}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /PORT (\d+)/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, port };
}

async function main() {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const name = `pmshub_bench_api_${Date.now()}`;
  const admin = postgres(ADMIN_URL, { ...CONNECTION_OPTIONS, max: 1 });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  let server: { child: ChildProcess; port: number } | undefined;
  try {
    const sql = postgres(url.toString(), { ...CONNECTION_OPTIONS, max: 4 });
    await generateBook(sql);
    await sql.end();
    server = await startServer(url.toString());
    const base = `http://127.0.0.1:${server.port}`;
    const headers = { authorization: `Bearer ${BENCH_KEY}` };
    const routes = [
      ['trivial: GET /api/auth/me', '/api/auth/me'],
      ['GET /api/dashboard/executive', '/api/dashboard/executive?period=1Y&grain=monthly'],
      ['GET /api/clients (filtered, sorted)', '/api/clients?status=Active&sebiCategory=Equity&aumMin=5000000&returnMin=-0.05&period=1Y&sort=aum&order=desc&page=2&pageSize=50'],
    ] as const;
    for (const [, path] of routes) {
      const res = await fetch(base + path, { headers });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    }
    if (process.argv.includes('--probe')) {
      // Sequential timings only (no load): for checking the book and the queries.
      for (const [label, path] of routes) {
        const ms: number[] = [];
        for (let i = 0; i < 20; i++) {
          const t0 = performance.now();
          await (await fetch(base + path, { headers })).arrayBuffer();
          ms.push(performance.now() - t0);
        }
        ms.sort((a, b) => a - b);
        console.log(`${label.padEnd(38)} sequential median ${ms[10]!.toFixed(1)} ms, max ${ms[19]!.toFixed(1)} ms`);
      }
      return;
    }
    const results: { label: string; rps: number; p50: number; p95: number; p99: number; errors: number }[] = [];
    for (const [label, path] of routes) {
      const r = await autocannon({ url: base + path, headers, connections: CONNECTIONS, duration: SECONDS, percentiles: [50, 95, 99] } as Record<string, unknown>);
      const lat = r.latency as unknown as Record<string, number>;
      results.push({ label, rps: r.requests.average, p50: lat.p50!, p95: lat.p95 ?? lat.p97_5!, p99: lat.p99!, errors: r.errors + r.timeouts + r.non2xx });
      console.log(`${label.padEnd(38)} ${r.requests.average.toFixed(0).padStart(6)} req/s  p50 ${lat.p50} ms  p95 ${lat.p95 ?? lat.p97_5} ms  p99 ${lat.p99} ms  errors ${r.errors + r.timeouts + r.non2xx} (of ${r.requests.total})`);
    }
    const trivial = results[0]!.rps;
    console.log('\ntargets: p95 < 100 ms, 0 errors, ≥ 25% of the trivial route\'s throughput');
    for (const r of results.slice(1)) {
      const ok = r.p95 < 100 && r.errors === 0 && r.rps >= 0.25 * trivial;
      console.log(`${r.label.padEnd(38)} p95 ${r.p95} ms, errors ${r.errors}, ${((100 * r.rps) / trivial).toFixed(0)}% of trivial → ${ok ? 'MET' : 'NOT MET'}`);
    }
  } finally {
    if (server) {
      server.child.kill('SIGTERM');
      await new Promise((r) => server!.child.once('exit', r));
    }
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
