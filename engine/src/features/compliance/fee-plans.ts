/**
 * Per-portfolio fee plans: stored plans (fee_plans), config defaults (config/fee-plans.json → fee_plan_config) and the
 * field-by-field resolution every fee calculation uses. Order, per field (docs/methodology.md "Fee plans"):
 *   1. the portfolio's fee_plans row, set through the API or imported (all fields, one source);
 *   2. config/fee-plans.json: the portfolio's override (by portfolio code), then its strategy's default;
 *   3. the portfolio master's rates from Wealth Spectrum (management fee, performance fee, hurdle);
 *   4. the built-in defaults of feePlan(): quarterly management fee, annual performance fee, FY periods, no exit load, GST 18%.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CHARGE_FREQUENCIES, FeeDec, feePlan, type FeePlan } from '../../analytics/fees/index.js';
import type { Queryable, Sql } from '../../db/client.js';
import { visibleClients, type ClientScope } from '../../lib/scope.js';

export const PLAN_FIELDS = [
  'managementFeeRate',
  'managementFeeFrequency',
  'performanceFeeRate',
  'performanceFeeFrequency',
  'hurdle',
  'exitLoad',
  'operatingExpenseRate',
  'gstRate',
  'periodAnchor',
] as const;
export type PlanField = (typeof PLAN_FIELDS)[number];

/** Where a resolved field came from. */
export const PLAN_SOURCES = ['api', 'import', 'config', 'config-portfolio', 'config-strategy', 'portfolio', 'default'] as const;
export type PlanSource = (typeof PLAN_SOURCES)[number];
export type StoredSource = 'config' | 'api' | 'import';

const Rate = z.string().regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'a rate is a decimal string fraction between 0 and 1, e.g. "0.02" for 2%');

/** A partial plan in config/fee-plans.json; absent fields fall through to the next level. */
export const ConfigPlan = z
  .object({
    managementFeeRate: Rate,
    managementFeeFrequency: z.enum(CHARGE_FREQUENCIES),
    performanceFeeRate: Rate,
    performanceFeeFrequency: z.enum(CHARGE_FREQUENCIES),
    hurdle: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('none') }).strict(),
      // a fixed hurdle without a rate takes the portfolio master's hurdle_pct
      z.object({ kind: z.literal('fixed'), rate: Rate.optional() }).strict(),
      z.object({ kind: z.literal('benchmark') }).strict(),
    ]),
    exitLoad: z.tuple([Rate, Rate, Rate]),
    operatingExpenseRate: Rate,
    gstRate: Rate,
    periodAnchor: z.enum(['financial-year', 'inception']),
  })
  .partial()
  .strict();
export type ConfigPlan = z.infer<typeof ConfigPlan>;

const FeePlansFile = z
  .object({
    $comment: z.string().optional(),
    strategies: z.record(z.string().min(1), ConfigPlan).default({}),
    portfolios: z.record(z.string().min(1), ConfigPlan).default({}),
  })
  .strict();
export type FeePlansConfig = z.infer<typeof FeePlansFile>;

export function parseFeePlansConfig(input: unknown, source = 'fee plans'): FeePlansConfig {
  const parsed = FeePlansFile.safeParse(input ?? {});
  if (!parsed.success) throw new Error(`${source} is invalid:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  return parsed.data;
}

/** <config dir>/fee-plans.json (no defaults when absent). */
export function readFeePlansConfig(configDir: string): FeePlansConfig {
  const file = path.join(configDir, 'fee-plans.json');
  if (!fs.existsSync(file)) return parseFeePlansConfig({}, file);
  return parseFeePlansConfig(JSON.parse(fs.readFileSync(file, 'utf8')), file);
}

/**
 * Replaces fee_plan_config with config/fee-plans.json (at every start, with the other reference data). Strategy codes
 * must be in config/strategies.json; portfolio codes may name portfolios not imported yet.
 */
export async function syncFeePlanConfig(sql: Sql, configDir: string, strategyCodes: ReadonlySet<string>): Promise<void> {
  const cfg = readFeePlansConfig(configDir);
  for (const code of Object.keys(cfg.strategies)) {
    if (!strategyCodes.has(code)) throw new Error(`config/fee-plans.json: unknown strategy ${code} (see config/strategies.json)`);
  }
  await sql.begin(async (tx) => {
    await tx`delete from fee_plan_config`;
    for (const [level, plans] of [['strategy', cfg.strategies], ['portfolio', cfg.portfolios]] as const) {
      for (const [code, plan] of Object.entries(plans)) {
        await tx`insert into fee_plan_config (level, code, plan) values (${level}, ${code}, ${tx.json(plan as never)})`;
      }
    }
  });
}

export interface StoredPlanInfo {
  source: StoredSource;
  updatedAt: string;
  updatedBy: string;
}

export interface ResolvedFeePlan {
  portfolioId: number;
  portfolioCode: string;
  clientId: number;
  strategy: string;
  plan: FeePlan;
  /** Per field, where its value came from. */
  sources: Record<PlanField, PlanSource>;
  /** The fee_plans row when there is one. */
  stored: StoredPlanInfo | null;
}

interface PlanRow {
  portfolioId: number;
  portfolioCode: string;
  clientId: number;
  strategy: string;
  pMgf: string | null;
  pPrf: string | null;
  pHurdle: string | null;
  configPortfolio: unknown;
  configStrategy: unknown;
  storedSource: StoredSource | null;
  updatedAt: string | null;
  updatedBy: string | null;
  mgfRate: string | null;
  mgfFreq: string | null;
  prfRate: string | null;
  prfFreq: string | null;
  hurdleKind: 'none' | 'fixed' | 'benchmark' | null;
  hurdleRate: string | null;
  exit1: string | null;
  exit2: string | null;
  exit3: string | null;
  opex: string | null;
  gst: string | null;
  anchor: string | null;
}

/** "0.020000" → "0.02". */
const norm = (v: string) => new FeeDec(v).toFixed();

/** Pure: the plan of one portfolio from its stored row, config levels and master rates. */
export function resolveFeePlan(r: PlanRow): ResolvedFeePlan {
  const head = { portfolioId: r.portfolioId, portfolioCode: r.portfolioCode, clientId: r.clientId, strategy: r.strategy };
  if (r.storedSource !== null) {
    const plan: FeePlan = {
      managementFeeRate: norm(r.mgfRate!),
      managementFeeFrequency: r.mgfFreq as FeePlan['managementFeeFrequency'],
      performanceFeeRate: norm(r.prfRate!),
      // may be 'monthly' when imported: planViolations flags it
      performanceFeeFrequency: r.prfFreq as FeePlan['performanceFeeFrequency'],
      hurdle: r.hurdleKind === 'fixed' ? { kind: 'fixed', rate: norm(r.hurdleRate!) } : { kind: r.hurdleKind! },
      exitLoad: [norm(r.exit1!), norm(r.exit2!), norm(r.exit3!)],
      operatingExpenseRate: norm(r.opex!),
      gstRate: norm(r.gst!),
      periodAnchor: r.anchor as FeePlan['periodAnchor'],
    };
    const sources = Object.fromEntries(PLAN_FIELDS.map((f) => [f, r.storedSource])) as Record<PlanField, PlanSource>;
    return { ...head, plan, sources, stored: { source: r.storedSource, updatedAt: r.updatedAt!, updatedBy: r.updatedBy! } };
  }
  const cp = r.configPortfolio ? ConfigPlan.parse(r.configPortfolio) : {};
  const cs = r.configStrategy ? ConfigPlan.parse(r.configStrategy) : {};
  const base = feePlan();
  const plan = { ...base } as { -readonly [K in keyof FeePlan]: FeePlan[K] };
  const sources = Object.fromEntries(PLAN_FIELDS.map((f) => [f, 'default'])) as Record<PlanField, PlanSource>;
  const master: Partial<Record<PlanField, unknown>> = {};
  if (r.pMgf !== null) master.managementFeeRate = norm(r.pMgf);
  if (r.pPrf !== null) master.performanceFeeRate = norm(r.pPrf);
  if (r.pHurdle !== null) master.hurdle = new FeeDec(r.pHurdle).gt(0) ? { kind: 'fixed', rate: norm(r.pHurdle) } : { kind: 'none' };
  for (const field of PLAN_FIELDS) {
    const levels: [PlanSource, unknown][] = [
      ['config-portfolio', cp[field]],
      ['config-strategy', cs[field]],
      ['portfolio', master[field]],
    ];
    const hit = levels.find(([, v]) => v !== undefined);
    if (!hit) continue;
    (plan as Record<string, unknown>)[field] = hit[1];
    sources[field] = hit[0];
  }
  // a config "fixed" hurdle without a rate: the portfolio master's hurdle rate (or 0 = the high-water mark alone)
  if (plan.hurdle.kind === 'fixed' && (plan.hurdle as { rate?: string }).rate === undefined) {
    plan.hurdle = { kind: 'fixed', rate: r.pHurdle !== null ? norm(r.pHurdle) : '0' };
  }
  return { ...head, plan: plan as FeePlan, sources, stored: null };
}

/**
 * Resolved plans of the visible portfolios among `portfolioIds` (every visible portfolio when omitted), by id.
 * Invisible and unknown ids are simply absent.
 */
export async function loadFeePlans(sql: Queryable, p: { scope: ClientScope; portfolioIds?: number[] }): Promise<Map<number, ResolvedFeePlan>> {
  if (p.portfolioIds && p.portfolioIds.length === 0) return new Map();
  const rows = await sql<PlanRow[]>`
    select p.id as "portfolioId", p.portfolio_code as "portfolioCode", p.client_id as "clientId", s.code as strategy,
      p.management_fee_rate::text as "pMgf", p.performance_fee_rate::text as "pPrf", p.hurdle_rate::text as "pHurdle",
      cp.plan as "configPortfolio", cs.plan as "configStrategy",
      f.source as "storedSource", to_char(f.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "updatedAt", f.updated_by as "updatedBy",
      f.management_fee_rate::text as "mgfRate", f.management_fee_frequency as "mgfFreq", f.performance_fee_rate::text as "prfRate",
      f.performance_fee_frequency as "prfFreq", f.hurdle_kind as "hurdleKind", f.hurdle_rate::text as "hurdleRate",
      f.exit_load_y1::text as exit1, f.exit_load_y2::text as exit2, f.exit_load_y3::text as exit3,
      f.operating_expense_rate::text as opex, f.gst_rate::text as gst, f.period_anchor as anchor
    from portfolios p join clients c on c.id = p.client_id join strategies s on s.id = p.strategy_id
      left join fee_plans f on f.portfolio_id = p.id
      left join fee_plan_config cp on cp.level = 'portfolio' and cp.code = p.portfolio_code
      left join fee_plan_config cs on cs.level = 'strategy' and cs.code = s.code
    where ${p.portfolioIds ? sql`p.id = any(${p.portfolioIds}::int[]) and` : sql``} ${visibleClients(sql, p.scope)}
    order by p.id`;
  return new Map(rows.map((r) => [r.portfolioId, resolveFeePlan(r)]));
}

/** Stores (replaces) a portfolio's plan. */
export async function storeFeePlan(sql: Queryable, portfolioId: number, plan: FeePlan, source: StoredSource, updatedBy: string): Promise<void> {
  const h = plan.hurdle;
  await sql`
    insert into fee_plans (portfolio_id, management_fee_rate, management_fee_frequency, performance_fee_rate, performance_fee_frequency,
      hurdle_kind, hurdle_rate, exit_load_y1, exit_load_y2, exit_load_y3, operating_expense_rate, gst_rate, period_anchor, source, updated_at, updated_by)
    values (${portfolioId}, ${plan.managementFeeRate}, ${plan.managementFeeFrequency}, ${plan.performanceFeeRate}, ${plan.performanceFeeFrequency},
      ${h.kind}, ${h.kind === 'fixed' ? h.rate : null}, ${plan.exitLoad[0]}, ${plan.exitLoad[1]}, ${plan.exitLoad[2]},
      ${plan.operatingExpenseRate}, ${plan.gstRate}, ${plan.periodAnchor}, ${source}, now(), ${updatedBy})
    on conflict (portfolio_id) do update set
      management_fee_rate = excluded.management_fee_rate, management_fee_frequency = excluded.management_fee_frequency,
      performance_fee_rate = excluded.performance_fee_rate, performance_fee_frequency = excluded.performance_fee_frequency,
      hurdle_kind = excluded.hurdle_kind, hurdle_rate = excluded.hurdle_rate, exit_load_y1 = excluded.exit_load_y1,
      exit_load_y2 = excluded.exit_load_y2, exit_load_y3 = excluded.exit_load_y3, operating_expense_rate = excluded.operating_expense_rate,
      gst_rate = excluded.gst_rate, period_anchor = excluded.period_anchor, source = excluded.source, updated_at = now(), updated_by = excluded.updated_by`;
}

/** Removes a stored plan: the portfolio falls back to config and its master rates. True when there was one. */
export async function deleteFeePlan(sql: Queryable, portfolioId: number): Promise<boolean> {
  const rows = await sql`delete from fee_plans where portfolio_id = ${portfolioId} returning portfolio_id`;
  return rows.length > 0;
}
