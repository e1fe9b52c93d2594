/**
 * Deterministic demo book: a realistic PMS firm written as Wealth Spectrum-style export files
 * (the layouts of config/import-mappings.json), for `npm start` on an empty database.
 *
 * Model (all money in integer paise, so every written amount is exact):
 * - a universe of fictional Indian securities whose daily prices follow beta x a real market path
 *   (NIFTY 50 TRI, SBI small cap NAV, corporate bond / gilt / liquid NAVs from ./market) + alpha + noise;
 * - each portfolio holds 10-25 of them (by strategy) plus cash; V_t = sum(qty x price_t) + cash_t;
 * - the cash ledger moves only through the transactions written to the feed, so from the files:
 *   cash_t = cash_{t-1} + sum(signed net_amount of the day), and
 *   V_t = V_{t-1} + market gain_t + external flows_t - fees_t (gain = sum qty x price change + income - trading costs).
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { addDays } from '../../engine/src/analytics/shared/iso-date.js';
import { nextChargeDate, type ChargeFrequency, type PeriodAnchor } from '../../engine/src/analytics/fees/fee-plan.js';
import { blendedIndexReturns } from '../../engine/src/analytics/returns/blended-index.js';
import { Rng } from './rng.js';
import { CsvSink } from './sink.js';
import { csvRow, daysBetween, dMonY, dmySlash, inr, isoToUtcDate, plain2 } from './format.js';
import { alignToCalendar, INDEX_FILES, lastTradingDateOnOrBefore, loadMarketPaths, readSeries, FILES, type MarketPaths } from './market.js';
import {
  CITIES,
  ENTITY_SUFFIXES,
  FEMALE_FIRST,
  MALE_FIRST,
  SECURITIES,
  STRATEGY_BY_RISK,
  SURNAMES,
  isinCheckDigit,
  type Bucket,
  type Region,
  type RiskProfile,
} from './reference-data.js';
import { normaliseZipTimestamps } from './xlsx-zip.js';

export interface DemoBookOptions {
  outDir: string;
  seed?: number;
  /** default 520 */
  clients?: number;
  /** default '2020-04-01' */
  from?: string;
  /** default: last date of the NIFTY 50 TRI file on or before '2025-12-10' */
  to?: string;
}

export type DemoBookKind =
  | 'benchmark-values'
  | 'relationship-managers'
  | 'clients'
  | 'portfolios'
  | 'transactions'
  | 'capital-flows'
  | 'holdings'
  | 'valuations';

export interface DemoBookFile {
  kind: DemoBookKind;
  path: string;
  rows: number;
}

export const DEFAULT_SEED = 20200401;
export const FILE_NAMES: Record<DemoBookKind, string> = {
  'benchmark-values': 'benchmark_values.csv',
  'relationship-managers': 'rm_master.csv',
  clients: 'client_master.xlsx',
  portfolios: 'portfolio_master.csv',
  transactions: 'transaction_statement.csv',
  'capital-flows': 'capital_register.csv',
  holdings: 'holdings.csv',
  valuations: 'valuations.csv',
};

/** Headers written, per kind (each is one of the mapping's accepted headers). */
export const HEADERS: Record<DemoBookKind, readonly string[]> = {
  'benchmark-values': ['index_code', 'date', 'value'],
  'relationship-managers': ['rm_code', 'rm_name', 'email', 'manager_code', 'city'],
  clients: ['Client Code', 'Client Name', 'PAN No', 'RM Code', 'RM Name', 'Risk Profile', 'City', 'State', 'Activation Date', 'Client Status', 'Email Id'],
  portfolios: ['ws_account_code', 'client_code', 'strategy_code', 'inception_date', 'status', 'closed_date', 'management_fee_pct', 'performance_fee_pct', 'hurdle_pct'],
  transactions: ['ws_account_code', 'trandate', 'set_date', 'tran_type', 'tran_desc', 'security_name', 'isin', 'qty', 'rate', 'net_amount', 'brokerage', 'stt', 'servicetax', 'total_trxnfee', 'txn_ref_no', 'descmemo'],
  'capital-flows': ['Account Code', 'Date', 'Type', 'Amount', 'Mode', 'Reference No', 'Remarks'],
  holdings: ['As On Date', 'Account Code', 'ISIN Code', 'Security', 'Asset Class', 'Industry', 'Holding Qty', 'Average Cost', 'Market Rate', 'Market Value'],
  valuations: ['ws_account_code', 'valuation_date', 'market_value', 'cash_balance'],
};

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BLANK = '-';
const LAKH = 100_000 * 100; // in paise
const GST = 0.18;
/** India moved equity settlement to T+1 (fully) on 27-Jan-2023; T+2 before. */
const T1_FROM = '2023-01-27';

interface StrategyCfg {
  code: string;
  name: string;
  sebiCategory: string;
  benchmark: string;
  inceptionDate: string;
}

// ---------------------------------------------------------------------------------------------- securities

interface Security {
  idx: number;
  name: string;
  isin: string;
  sector: string;
  bucket: Bucket;
  assetClass: 'Equity' | 'Debt' | 'Gold' | 'REIT';
  exchangeTraded: boolean;
  /** closing price per day, integer paise */
  price: Float64Array;
  /** income (dividend / coupon / distribution) per unit paid on a day, integer paise */
  income: Float64Array;
  incomeDesc: string;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function makeIsin(prefix: string, rng: Rng, secType: string): string {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  let body: string;
  if (prefix === 'IN00') body = `IN002${pad(rng.int(0, 99_999), 5)}${pad(rng.int(1, 99), 2)}`.slice(0, 11);
  else body = `${prefix}${pad(rng.int(1, 999), 3)}${rng.pick([...letters])}${secType}${pad(rng.int(1, 9), 2)}`;
  return body + String(isinCheckDigit(body));
}

function firstTradingIndexOnOrAfter(dates: readonly string[], d: string): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((dates[mid] as string) < d) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function buildUniverse(seed: number, m: MarketPaths): Security[] {
  const T = m.dates.length;
  const goldRng = new Rng(seed, 'gold-factor');
  const gold = new Float64Array(T);
  for (let t = 1; t < T; t++) gold[t] = 0.11 / 252 + (0.14 / Math.sqrt(252)) * goldRng.normal();
  const factors: Record<string, Float64Array> = { nifty: m.nifty, smallCap: m.smallCap, corpBond: m.corpBond, gilt: m.gilt, liquid: m.liquid, gold };
  const firstYear = Number(m.dates[0]!.slice(0, 4));
  const lastYear = Number(m.dates[T - 1]!.slice(0, 4));
  const usedIsins = new Set<string>();

  return SECURITIES.map((def, idx) => {
    const rng = new Rng(seed, `sec:${def.name}`);
    let factor = 'nifty';
    let beta = 1;
    let alpha = 0;
    let sigma = 0;
    let price0 = 100;
    let incomeYield = 0; // annual, as a fraction of price (equities) ...
    let couponPerUnit = 0; // ... or fixed per unit per year in paise (bonds)
    let payMonths: number[] = [];
    let assetClass: Security['assetClass'] = 'Equity';
    let exchangeTraded = true;
    let isinPrefix = 'INE';
    let secType = '01';
    let incomeDesc = 'Dividend';
    const coupon = Number(/^(\d+\.\d+)%/.exec(def.name)?.[1] ?? '0') / 100;
    switch (def.bucket) {
      case 'large':
        beta = rng.range(0.75, 1.25);
        alpha = rng.normal() * 0.04 + 0.01;
        sigma = rng.range(0.15, 0.27);
        price0 = Math.exp(rng.range(Math.log(150), Math.log(4200)));
        incomeYield = rng.range(0.004, 0.025);
        payMonths = [rng.int(6, 9)];
        break;
      case 'small':
        factor = 'smallCap';
        beta = rng.range(0.8, 1.2);
        alpha = rng.normal() * 0.05 + 0.015;
        sigma = rng.range(0.24, 0.4);
        price0 = Math.exp(rng.range(Math.log(45), Math.log(1600)));
        incomeYield = rng.chance(0.7) ? rng.range(0.002, 0.012) : 0;
        payMonths = [rng.int(7, 9)];
        break;
      case 'gsec':
        factor = 'gilt';
        beta = rng.range(0.75, 1.25);
        sigma = 0.01;
        price0 = rng.range(97, 104);
        couponPerUnit = coupon * 100 * 100;
        payMonths = [rng.int(1, 6)];
        payMonths.push((payMonths[0] as number) + 6);
        assetClass = 'Debt';
        isinPrefix = 'IN00';
        incomeDesc = 'Interest';
        break;
      case 'ncd':
        factor = 'corpBond';
        beta = rng.range(0.8, 1.1);
        sigma = 0.012;
        price0 = rng.range(985, 1025);
        couponPerUnit = coupon * 1000 * 100;
        payMonths = [rng.int(1, 12)];
        assetClass = 'Debt';
        secType = '07';
        incomeDesc = 'Interest';
        break;
      case 'liquid':
        factor = 'liquid';
        price0 = rng.range(1500, 4500);
        assetClass = 'Debt';
        exchangeTraded = false;
        isinPrefix = 'INF';
        break;
      case 'gold':
        factor = 'gold';
        sigma = 0.01;
        assetClass = 'Gold';
        if (def.name.startsWith('SGB')) {
          price0 = rng.range(4400, 4700);
          couponPerUnit = 0.025 * 4500 * 100;
          payMonths = [rng.int(1, 6)];
          payMonths.push((payMonths[0] as number) + 6);
          isinPrefix = 'IN00';
          incomeDesc = 'Interest';
        } else {
          price0 = rng.range(40, 46);
          isinPrefix = 'INF';
        }
        break;
      case 'reit':
        beta = 0.35;
        sigma = 0.16;
        alpha = 0.02;
        price0 = rng.range(280, 380);
        incomeYield = 0.065;
        payMonths = [2, 5, 8, 11];
        assetClass = 'REIT';
        secType = '02';
        incomeDesc = 'REIT Distribution';
        break;
    }
    let isin = makeIsin(isinPrefix, rng, secType);
    while (usedIsins.has(isin)) isin = makeIsin(isinPrefix, rng, secType);
    usedIsins.add(isin);

    const f = factors[factor] as Float64Array;
    const price = new Float64Array(T);
    const income = new Float64Array(T);
    const dailySigma = sigma / Math.sqrt(252);
    let p = price0;
    const faceYield = couponPerUnit > 0 ? couponPerUnit / 100 / price0 : 0;
    const drift = (alpha - incomeYield - faceYield) / 252;
    for (let t = 0; t < T; t++) {
      if (t > 0) p *= 1 + beta * (f[t] as number) + drift + dailySigma * rng.normal();
      price[t] = Math.max(1, Math.round(p * 100));
    }
    // income dates: the first trading day on/after the 10th..25th of each payment month
    const perPayout = payMonths.length > 0 ? 1 / payMonths.length : 0;
    for (let y = firstYear; y <= lastYear; y++) {
      for (const mth of payMonths) {
        const d = `${y}-${pad(mth, 2)}-${pad(rng.int(10, 25), 2)}`;
        const t = firstTradingIndexOnOrAfter(m.dates, d);
        if (t <= 0 || t >= T) continue;
        if (couponPerUnit > 0) income[t] = Math.round(couponPerUnit * perPayout);
        else if (incomeYield > 0) income[t] = Math.max(1, Math.round((price[t - 1] as number) * incomeYield * perPayout));
      }
    }
    return { idx, name: def.name, isin, sector: def.sector, bucket: def.bucket, assetClass, exchangeTraded, price, income, incomeDesc };
  });
}

// ---------------------------------------------------------------------------------------------- people

interface Rm {
  code: string;
  name: string;
  email: string;
  managerCode: string | undefined;
  city: string;
  region: Region;
  level: 'head' | 'regional' | 'rm';
}

const RM_BRANCHES: readonly [string, Region][] = [
  ['Mumbai', 'West'], ['Mumbai', 'West'], ['Mumbai', 'West'], ['Mumbai', 'West'], ['Pune', 'West'], ['Pune', 'West'], ['Ahmedabad', 'West'], ['Ahmedabad', 'West'],
  ['New Delhi', 'North'], ['New Delhi', 'North'], ['New Delhi', 'North'], ['Jaipur', 'North'], ['Kolkata', 'North'], ['Kolkata', 'North'],
  ['Bengaluru', 'South'], ['Bengaluru', 'South'], ['Chennai', 'South'], ['Chennai', 'South'], ['Hyderabad', 'South'], ['Kochi', 'South'],
];

function surnamePool(city: string, region: Region): readonly string[] {
  if (city === 'Kolkata' || city === 'Bhubaneswar') return SURNAMES.East;
  return SURNAMES[region];
}

function buildRms(seed: number): Rm[] {
  const rng = new Rng(seed, 'rms');
  const used = new Set<string>();
  const person = (city: string, region: Region): [string, string] => {
    for (;;) {
      const first = rng.chance(0.4) ? rng.pick(FEMALE_FIRST) : rng.pick(MALE_FIRST);
      const last = rng.pick(surnamePool(city, region));
      if (!used.has(first + last)) {
        used.add(first + last);
        return [first, last];
      }
    }
  };
  const rms: Rm[] = [];
  const add = (city: string, region: Region, level: Rm['level'], managerCode: string | undefined): Rm => {
    const [first, last] = person(city, region);
    const rm: Rm = {
      code: `RM${pad(rms.length + 1, 3)}`,
      name: `${first} ${last}`,
      email: `${first}.${last}@arthaneeti-capital.example`.toLowerCase(),
      managerCode,
      city,
      region,
      level,
    };
    rms.push(rm);
    return rm;
  };
  const head = add('Mumbai', 'West', 'head', undefined);
  const regional: Record<Region, Rm> = {
    West: add('Mumbai', 'West', 'regional', head.code),
    North: add('New Delhi', 'North', 'regional', head.code),
    South: add('Bengaluru', 'South', 'regional', head.code),
  };
  for (const [city, region] of RM_BRANCHES) add(city, region, 'rm', regional[region].code);
  return rms;
}

// ---------------------------------------------------------------------------------------------- plan

interface ClientPlan {
  code: string;
  name: string;
  pan: string;
  rm: Rm;
  risk: RiskProfile;
  city: string;
  state: string;
  email: string;
  onboardIdx: number;
  nri: boolean;
  /** trading-day index on which all portfolios are liquidated (full redemption), if any */
  liquidateIdx: number | undefined;
  portfolios: PortfolioPlan[];
}

interface PortfolioPlan {
  code: string;
  client: ClientPlan;
  strategy: StrategyCfg;
  incIdx: number;
  corpus: number; // paise
  psiShare: number; // 0 = all cash
  mgmtFee: number; // fraction p.a.
  perfFee: number | undefined;
  hurdle: number | undefined;
  custody: number;
  brokerage: number;
  rngLabel: string;
}

function pan(rng: Rng, type: string, initial: string, used: Set<string>): string {
  const L = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (;;) {
    const p = `${L[rng.int(0, 25)]}${L[rng.int(0, 25)]}${L[rng.int(0, 25)]}${type}${initial.toUpperCase()}${pad(rng.int(1, 9999), 4)}${L[rng.int(0, 25)]}`;
    if (!used.has(p)) {
      used.add(p);
      return p;
    }
  }
}

function roundCorpus(lakhs: number): number {
  const step = lakhs < 100 ? 5 : 25;
  return Math.max(50, Math.round(lakhs / step) * step) * LAKH;
}

function planBook(seed: number, nClients: number, dates: readonly string[], strategies: readonly StrategyCfg[], rms: readonly Rm[]): ClientPlan[] {
  const rng = new Rng(seed, 'clients');
  const T = dates.length;
  const lastOnboard = Math.max(1, T - 40);
  const usedPans = new Set<string>();
  const usedNames = new Set<string>();
  const rmsByCity = new Map<string, Rm[]>();
  for (const rm of rms) if (rm.level === 'rm') rmsByCity.set(rm.city, [...(rmsByCity.get(rm.city) ?? []), rm]);

  const drafts: Omit<ClientPlan, 'code' | 'portfolios'>[] = [];
  for (let i = 0; i < nClients; i++) {
    const c = rng.weighted(CITIES.map((x) => [x, x.weight] as const));
    const kind = rng.weighted([['individual', 91], ['huf', 4], ['company', 3], ['trust', 1], ['firm', 1]] as const);
    const surname = rng.pick(rng.chance(0.8) ? surnamePool(c.city, c.region) : SURNAMES[rng.pick(['West', 'North', 'South', 'East'] as const)]);
    let name: string;
    let panType: string;
    let email: string;
    for (;;) {
      const female = rng.chance(0.32);
      const first = female ? rng.pick(FEMALE_FIRST) : rng.pick(MALE_FIRST);
      if (kind === 'individual') {
        name = `${first} ${surname}`;
        panType = 'P';
        email = `${first}.${surname}${rng.int(1, 99)}@example.com`.toLowerCase();
      } else if (kind === 'huf') {
        name = `${first} ${surname} HUF`;
        panType = 'H';
        email = `${first}.${surname}.huf@example.com`.toLowerCase();
      } else {
        const suffixes = ENTITY_SUFFIXES[kind === 'company' ? 'company' : kind === 'trust' ? 'trust' : 'firm'];
        name = `${surname} ${rng.pick(suffixes)}`;
        panType = kind === 'company' ? 'C' : kind === 'trust' ? 'T' : 'F';
        email = `accounts@${surname.toLowerCase()}-${kind}.example.com`;
      }
      if (!usedNames.has(name)) break;
    }
    usedNames.add(name);
    const initial = kind === 'individual' || kind === 'huf' ? surname[0]! : name[0]!;
    const p = pan(rng, panType, initial, usedPans);
    // RM: same city if there is a branch, else the region's RMs; a few key accounts with managers
    let rm: Rm;
    const roll = rng.u();
    if (roll < 0.02) rm = rms.find((r) => r.level === 'head')!;
    else if (roll < 0.07) rm = rms.find((r) => r.level === 'regional' && r.region === c.region)!;
    else rm = rng.pick(rmsByCity.get(c.city) ?? rms.filter((r) => r.level === 'rm' && r.region === c.region));
    const risk = rng.weighted([['Conservative', 8], ['Moderately Conservative', 15], ['Moderate', 30], ['Moderately Aggressive', 30], ['Aggressive', 17]] as const);
    // onboarding: spread over the period, more in later years (a growing firm)
    const onboardIdx = Math.min(lastOnboard, Math.floor(Math.pow(rng.u(), 0.8) * lastOnboard));
    drafts.push({ name, pan: p, rm, risk, city: c.city, state: c.state, email, onboardIdx, nri: kind === 'individual' && rng.chance(0.07), liquidateIdx: undefined });
  }
  // client codes in onboarding order (as a back office numbers them)
  const order = drafts.map((d, i) => [d, i] as const).sort((a, b) => a[0].onboardIdx - b[0].onboardIdx || a[1] - b[1]);
  const clients: ClientPlan[] = order.map(([d], i) => ({ ...d, code: `C${pad(i + 1, 6)}`, portfolios: [] }));

  // full redemptions: ~5% of clients, at least ~6 months after onboarding and not in the last days
  const eligible = clients.filter((c) => c.onboardIdx + 130 < T - 10);
  const nRedeem = Math.max(1, Math.round(clients.length * 0.05));
  for (const c of rng.sample(eligible, nRedeem)) {
    c.liquidateIdx = rng.int(c.onboardIdx + 125, T - 10);
  }

  // portfolios
  const pfs: PortfolioPlan[] = [];
  for (const c of clients) {
    const n = rng.weighted([[1, 78], [2, 18], [3, 4]] as const);
    const taken = new Set<string>();
    for (let k = 0; k < n; k++) {
      let incIdx = c.onboardIdx;
      if (k > 0 && rng.chance(0.6)) incIdx = c.onboardIdx + rng.int(40, 500);
      const endLimit = c.liquidateIdx !== undefined ? c.liquidateIdx - 60 : T - 30;
      if (incIdx > endLimit) {
        if (k === 0) incIdx = c.onboardIdx;
        else continue;
      }
      const date = dates[incIdx] as string;
      const weights = STRATEGY_BY_RISK[c.risk];
      const avail = strategies.filter((s) => s.inceptionDate <= date && !taken.has(s.code));
      if (avail.length === 0) continue;
      const s = rng.weighted(avail.map((x) => [x, (weights[x.code] ?? 0) + 0.01] as const));
      taken.add(s.code);
      let lakhs = Math.exp(Math.log(110) + 0.75 * rng.normal());
      lakhs = Math.min(1000, Math.max(50, lakhs));
      if (rng.chance(0.03)) lakhs = rng.range(1000, 4000);
      if (k > 0) lakhs = Math.max(50, lakhs * 0.7);
      const hasPerf = s.sebiCategory !== 'Debt' && rng.chance(0.38);
      const mgmtFee = s.sebiCategory === 'Debt' ? rng.pick([1.0, 1.0, 1.25]) : hasPerf ? rng.pick([1.0, 1.25, 1.5]) : rng.pick([1.5, 1.75, 2.0, 2.0, 2.25, 2.5]);
      const p: PortfolioPlan = {
        code: '',
        client: c,
        strategy: s,
        incIdx,
        corpus: roundCorpus(lakhs),
        psiShare: s.sebiCategory !== 'Debt' && rng.chance(0.15) ? rng.range(0.2, 0.6) : 0,
        mgmtFee: mgmtFee / 100,
        perfFee: hasPerf ? rng.pick([10, 15, 20, 20]) / 100 : undefined,
        hurdle: hasPerf ? rng.pick([8, 10, 10]) / 100 : undefined,
        custody: rng.pick([0.0003, 0.0004, 0.0005]),
        brokerage: rng.pick([0.0008, 0.001, 0.0012, 0.0015]),
        rngLabel: '',
      };
      c.portfolios.push(p);
      pfs.push(p);
    }
    // onboarding date is the first portfolio's inception
    c.onboardIdx = Math.min(...c.portfolios.map((p) => p.incIdx));
  }
  pfs.sort((a, b) => a.incIdx - b.incIdx || (a.client.code < b.client.code ? -1 : a.client.code > b.client.code ? 1 : 0));
  pfs.forEach((p, i) => {
    p.code = `WS${pad(1001 + i, 7)}`;
    p.rngLabel = `pf:${p.code}`;
  });
  for (const c of clients) c.portfolios.sort((a, b) => (a.code < b.code ? -1 : 1));
  return clients;
}

// ---------------------------------------------------------------------------------------------- strategy models

interface Sleeve {
  buckets: Bucket[];
  weight: number;
  n: [number, number];
}
const STRATEGY_MODELS: Record<string, { sleeves: Sleeve[]; cash: [number, number] }> = {
  LCE: { sleeves: [{ buckets: ['large'], weight: 0.97, n: [15, 22] }], cash: [0.02, 0.04] },
  MSC: { sleeves: [{ buckets: ['small'], weight: 0.96, n: [18, 24] }], cash: [0.03, 0.05] },
  FLX: { sleeves: [{ buckets: ['large'], weight: 0.6, n: [9, 13] }, { buckets: ['small'], weight: 0.37, n: [6, 9] }], cash: [0.02, 0.04] },
  DBT: { sleeves: [{ buckets: ['gsec'], weight: 0.45, n: [5, 6] }, { buckets: ['ncd'], weight: 0.45, n: [4, 6] }, { buckets: ['liquid'], weight: 0.09, n: [1, 2] }], cash: [0.005, 0.015] },
  HYB: { sleeves: [{ buckets: ['large'], weight: 0.48, n: [8, 12] }, { buckets: ['gsec'], weight: 0.2, n: [2, 3] }, { buckets: ['ncd'], weight: 0.2, n: [2, 3] }, { buckets: ['liquid'], weight: 0.1, n: [1, 1] }], cash: [0.01, 0.02] },
  MAS: { sleeves: [{ buckets: ['large'], weight: 0.58, n: [10, 13] }, { buckets: ['gsec'], weight: 0.12, n: [1, 2] }, { buckets: ['ncd'], weight: 0.1, n: [1, 2] }, { buckets: ['liquid'], weight: 0.07, n: [1, 1] }, { buckets: ['gold'], weight: 0.08, n: [1, 2] }, { buckets: ['reit'], weight: 0.04, n: [1, 1] }], cash: [0.01, 0.02] },
};

// ---------------------------------------------------------------------------------------------- simulation

interface Ctx {
  dates: readonly string[];
  secs: readonly Security[];
  byBucket: Map<Bucket, Security[]>;
  quarterEnd: Uint8Array;
  fyEnd: Uint8Array;
  snapshot: Uint8Array;
  tx: CsvSink;
  cap: CsvSink;
  hold: CsvSink;
  val: CsvSink;
  refNo: { n: number };
  stats: Record<string, number>;
  /** per benchmark code: cumulative log growth by trading date (as benchmark_series) */
  benchLog: Map<string, Map<string, number>>;
  /** config/fee-plans.json: the back office follows each portfolio's agreed plan (methodology §10.6) */
  feePlans: FeePlansFile;
}

/**
 * The part of config/fee-plans.json the back office applies: performance-fee frequency, period anchor and hurdle kind.
 * A portfolio's `managementFeeFrequency` is deliberately not followed: the back office charges `MGF` quarterly for
 * everyone, so a plan that says otherwise (WS0001002, half-yearly) breaks on the demo and the compliance check fires.
 */
/**
 * The one deliberate back-office error of the demo: WS0001006's management fee for the quarter ended December 2024 is
 * charged at 2.25% p.a. instead of its agreed 2.00%, so the fee reconciliation has a real overcharge to show.
 */
const DELIBERATE_OVERCHARGE = { code: 'WS0001006', month: '2024-12', extraRate: 0.0025 } as const;

interface FeePlanCfg {
  performanceFeeFrequency?: ChargeFrequency;
  periodAnchor?: PeriodAnchor;
  hurdle?: { kind: 'none' | 'fixed' | 'benchmark'; rate?: string };
}
interface FeePlansFile {
  strategies?: Record<string, FeePlanCfg>;
  portfolios?: Record<string, FeePlanCfg>;
}

function settleDate(ctx: Ctx, t: number, sec: Security | undefined): string {
  const d = ctx.dates[t] as string;
  const lag = sec === undefined ? 0 : sec.exchangeTraded ? (d >= T1_FROM ? 1 : 2) : 1;
  if (t + lag < ctx.dates.length) return ctx.dates[t + lag] as string;
  // beyond the calendar: next weekdays
  const dt = isoToUtcDate(d);
  let k = lag;
  while (k > 0) {
    dt.setUTCDate(dt.getUTCDate() + 1);
    if (dt.getUTCDay() !== 0 && dt.getUTCDay() !== 6) k--;
  }
  return dt.toISOString().slice(0, 10);
}

function fyLabel(iso: string): string {
  const y = Number(iso.slice(0, 4));
  const start = Number(iso.slice(5, 7)) >= 4 ? y : y - 1;
  return `FY ${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

class PortfolioSim {
  private readonly rng: Rng;
  private readonly secs: number[] = [];
  private readonly qty: number[] = [];
  private readonly cost: number[] = [];
  private readonly target = new Map<number, number>();
  cash = 0;
  private mgmtAccrual = 0;
  private custodyAccrual = 0;
  /** hurdle threshold: the high-water mark grown at the hurdle (methodology §10.2), as of the close of `thrDate` */
  private thr = 0;
  private thrDate = '';
  private thrLog = 0;
  /** the previous day's closing value (after its fees): withdrawals are measured on it, non-trading days accrue on it */
  private lastClose = 0;
  /** external flows of the current day, settled together (the engine nets a day's flows) */
  private dayIn = 0;
  private dayOut = 0;
  /** MGF/PRF (with GST) charged today on a withdrawal: the day's accrual is on the value before them (methodology §10.4) */
  private withdrawalFees = 0;
  private readonly perfFreq: ChargeFrequency;
  private readonly anchor: PeriodAnchor;
  private readonly hurdleKind: 'none' | 'fixed' | 'benchmark';
  private readonly model: { sleeves: Sleeve[]; cash: [number, number] };
  private readonly cashTarget: number;
  private t = 0;

  constructor(private readonly ctx: Ctx, private readonly p: PortfolioPlan, seed: number) {
    this.rng = new Rng(seed, p.rngLabel);
    const cfgP = ctx.feePlans.portfolios?.[p.code] ?? {};
    const cfgS = ctx.feePlans.strategies?.[p.strategy.code] ?? {};
    this.perfFreq = cfgP.performanceFeeFrequency ?? cfgS.performanceFeeFrequency ?? 'annual';
    this.anchor = cfgP.periodAnchor ?? cfgS.periodAnchor ?? 'financial-year';
    this.hurdleKind = (cfgP.hurdle ?? cfgS.hurdle)?.kind ?? (p.hurdle !== undefined && p.hurdle > 0 ? 'fixed' : 'none');
    const model = STRATEGY_MODELS[p.strategy.code];
    if (!model) throw new Error(`no demo model for strategy ${p.strategy.code}`);
    this.model = model;
    this.cashTarget = this.rng.range(model.cash[0], model.cash[1]);
  }

  private price(s: number): number {
    return this.ctx.secs[s]!.price[this.t]!;
  }
  private securitiesValue(): number {
    let v = 0;
    for (let i = 0; i < this.secs.length; i++) v += this.qty[i]! * this.price(this.secs[i]!);
    return v;
  }
  value(): number {
    return this.securitiesValue() + this.cash;
  }

  private row(code: string, desc: string, sec: Security | undefined, qty: number | undefined, rate: number | undefined, net: number, charges: { brokerage: number; stt: number; gst: number; total: number } | undefined, memo: string, gstOnly?: number): string {
    const ref = `WS${pad(++this.ctx.refNo.n, 10)}`;
    const d = this.ctx.dates[this.t] as string;
    const isTrade = code === 'BY-' || code === 'SL+';
    this.ctx.tx.row(
      csvRow([
        this.p.code,
        dmySlash(d),
        dmySlash(isTrade ? settleDate(this.ctx, this.t, sec) : d),
        code,
        desc,
        sec?.name ?? BLANK,
        sec?.isin ?? BLANK,
        qty === undefined ? BLANK : String(qty),
        rate === undefined ? BLANK : plain2(rate),
        inr(net),
        charges ? inr(charges.brokerage) : BLANK,
        charges && charges.stt > 0 ? inr(charges.stt) : BLANK,
        charges ? inr(charges.gst) : gstOnly !== undefined ? inr(gstOnly) : BLANK,
        charges ? inr(charges.total) : BLANK,
        ref,
        memo || BLANK,
      ]),
    );
    this.ctx.stats.transactions = (this.ctx.stats.transactions ?? 0) + 1;
    return ref;
  }

  private capital(code: string, amount: number, mode: 'Cash' | 'Securities', ref: string, remarks: string, date?: string): void {
    this.ctx.cap.row(csvRow([this.p.code, dmySlash(date ?? (this.ctx.dates[this.t] as string)), code, inr(amount), mode, ref, remarks || BLANK]));
  }

  private posIndex(s: number): number {
    return this.secs.indexOf(s);
  }

  private addPosition(s: number, q: number, costPaise: number): void {
    const i = this.posIndex(s);
    if (i >= 0) {
      this.qty[i] = this.qty[i]! + q;
      this.cost[i] = this.cost[i]! + costPaise;
    } else {
      this.secs.push(s);
      this.qty.push(q);
      this.cost.push(costPaise);
    }
  }

  private removeQty(i: number, q: number): void {
    const held = this.qty[i]!;
    if (q >= held) {
      this.secs.splice(i, 1);
      this.qty.splice(i, 1);
      this.cost.splice(i, 1);
      return;
    }
    this.cost[i] = Math.round((this.cost[i]! * (held - q)) / held);
    this.qty[i] = held - q;
  }

  private charges(sec: Security, gross: number, buy: boolean): { brokerage: number; stt: number; gst: number; total: number } {
    if (!sec.exchangeTraded) {
      const stamp = buy ? Math.round(gross * 0.00005) : 0;
      return { brokerage: 0, stt: 0, gst: 0, total: stamp };
    }
    const equityLike = sec.assetClass === 'Equity' || sec.assetClass === 'REIT';
    const brokerage = Math.round(gross * (equityLike ? this.p.brokerage : 0.0002));
    const stt = equityLike ? Math.round(gross * 0.001) : 0;
    const exch = Math.round(gross * 0.0000335);
    const stamp = buy ? Math.round(gross * (equityLike ? 0.00015 : 0.00001)) : 0;
    const gst = Math.round((brokerage + exch) * GST);
    return { brokerage, stt, gst, total: brokerage + stt + gst + exch + stamp };
  }

  private buy(s: number, q: number, memo: string): void {
    if (q <= 0) return;
    const sec = this.ctx.secs[s]!;
    const rate = sec.price[this.t]!;
    const gross = q * rate;
    const ch = this.charges(sec, gross, true);
    const net = gross + ch.total;
    this.cash -= net;
    this.addPosition(s, q, net);
    this.row('BY-', 'Purchase', sec, q, rate, net, ch, memo);
  }

  private sell(i: number, q: number, memo: string): void {
    const s = this.secs[i]!;
    q = Math.min(q, this.qty[i]!);
    if (q <= 0) return;
    const sec = this.ctx.secs[s]!;
    const rate = sec.price[this.t]!;
    const gross = q * rate;
    const ch = this.charges(sec, gross, false);
    const net = gross - ch.total;
    this.cash += net;
    this.removeQty(i, q);
    this.row('SL+', 'Sale', sec, q, rate, net, ch, memo);
  }

  /** buy `amount` (paise) of `s` in whole units, leaving room for charges */
  private buyValue(s: number, amount: number, memo: string): void {
    const rate = this.price(s);
    const q = Math.floor((amount * 0.997) / rate);
    if (q > 0) this.buy(s, q, memo);
  }

  /** sell from the largest positions until cash >= need */
  private raiseCash(need: number, memo: string): void {
    let guard = 0;
    while (this.cash < need && this.secs.length > 0 && guard++ < 50) {
      let best = 0;
      let bestV = -1;
      for (let i = 0; i < this.secs.length; i++) {
        const v = this.qty[i]! * this.price(this.secs[i]!);
        if (v > bestV) {
          bestV = v;
          best = i;
        }
      }
      const rate = this.price(this.secs[best]!);
      const short = need - this.cash;
      const q = Math.ceil((short * 1.004) / rate) + 1;
      this.sell(best, q, memo);
    }
  }

  private pickNew(buckets: readonly Bucket[]): number | undefined {
    const pool: Security[] = [];
    for (const b of buckets) for (const s of this.ctx.byBucket.get(b) ?? []) if (this.posIndex(s.idx) < 0) pool.push(s);
    return pool.length ? this.rng.pick(pool).idx : undefined;
  }

  /** deploy cash into target weights (new book or additions) */
  private deploy(amount: number, memo: string): void {
    if (this.target.size === 0) {
      for (const sl of this.model.sleeves) {
        const n = this.rng.int(sl.n[0], sl.n[1]);
        const pool: Security[] = [];
        for (const b of sl.buckets) pool.push(...(this.ctx.byBucket.get(b) ?? []));
        const held = this.secs.filter((s) => sl.buckets.includes(this.ctx.secs[s]!.bucket));
        const picks = [...held, ...this.rng.sample(pool.filter((s) => !held.includes(s.idx)), Math.max(0, n - held.length)).map((s) => s.idx)];
        const raw = picks.map(() => this.rng.range(0.6, 1.4));
        const sum = raw.reduce((a, b) => a + b, 0);
        picks.forEach((s, k) => this.target.set(s, (sl.weight * (raw[k] as number)) / sum));
      }
    }
    const total = this.value();
    const investable = Math.max(0, Math.min(amount, this.cash - total * this.cashTarget));
    if (investable <= 0) return;
    // fill gaps to target first (new book: everything is a gap)
    const gaps: [number, number][] = [];
    let gapSum = 0;
    for (const [s, w] of this.target) {
      const i = this.posIndex(s);
      const cur = i >= 0 ? this.qty[i]! * this.price(s) : 0;
      const gap = Math.max(0, w * (total + 0) - cur);
      gaps.push([s, gap]);
      gapSum += gap;
    }
    if (gapSum <= 0) return;
    for (const [s, gap] of gaps) {
      const amt = Math.floor((investable * gap) / gapSum);
      this.buyValue(s, amt, memo);
    }
  }

  /** an external outflow today: the high-water mark and fees are settled with the day's other flows (settleFlows) */
  private hwmOutflow(amount: number): void {
    this.dayOut += amount;
  }

  /** grows the hurdle threshold to the close of `date`, a calendar day at a time (fixed hurdle: (1 + h)^(1/365)) */
  private growThreshold(date: string): void {
    const n = daysBetween(this.thrDate, date);
    if (n <= 0) return;
    if (this.hurdleKind === 'fixed' && this.p.hurdle !== undefined) this.thr *= Math.pow(1 + this.p.hurdle, n / 365);
    if (this.hurdleKind === 'benchmark') {
      const lb = this.benchLogAt(date);
      this.thr *= Math.exp(lb - this.thrLog);
      this.thrLog = lb;
    }
    this.thrDate = date;
  }

  /**
   * The benchmark's log level at the close of `date` (today or the day before), as the high-water-mark replay sees it:
   * each valuation date takes the last level on or before it, and the move since the previous valuation date is spread
   * evenly over its calendar days (methodology §10.4).
   */
  private benchLogAt(date: string): number {
    const series = this.ctx.benchLog.get(this.p.strategy.benchmark);
    if (!series) return 0;
    const level = (t: number): number => {
      for (let k = t; k >= 0; k--) {
        const v = series.get(this.ctx.dates[k] as string);
        if (v !== undefined) return v;
      }
      return 0;
    };
    const t = this.t;
    const d = this.ctx.dates[t] as string;
    const prev = t > 0 ? (this.ctx.dates[t - 1] as string) : addDays(d, -1);
    const l1 = level(t);
    const l0 = t > 0 ? level(t - 1) : l1;
    if (date >= d) return l1;
    if (t === this.p.incIdx) return l0; // the replay starts the day before inception: the first step takes the whole move
    return l0 + ((l1 - l0) * daysBetween(prev, date)) / daysBetween(prev, d);
  }

  /**
   * The day's external flows, netted and applied at the start of the day (methodology §10.1–10.2): a contribution raises
   * the threshold; a withdrawal of x = W / previous close crystallises x of the accrued management fee and x of the
   * performance fee due at the previous close (charged today), and scales the threshold by 1 − x.
   */
  private settleFlows(): void {
    const net = this.dayIn - this.dayOut;
    this.dayIn = 0;
    this.dayOut = 0;
    if (net === 0) return;
    const d = this.ctx.dates[this.t] as string;
    this.growThreshold(addDays(d, -1));
    if (net > 0) {
      this.thr += net;
      return;
    }
    if (this.lastClose <= 0) return;
    const x = Math.min(1, -net / this.lastClose);
    const accrued = this.mgmtAccrual;
    const fee = Math.round(accrued);
    const measured = this.lastClose - fee - Math.round(fee * GST);
    const perfDue = this.p.perfFee !== undefined && measured > this.thr ? this.p.perfFee * (measured - this.thr) : 0;
    this.mgmtAccrual = accrued - accrued * x;
    this.thr *= 1 - x;
    this.withdrawalFees = this.chargeFee('MGF', Math.round(accrued * x), 'Management Fees', `Mgmt fee on withdrawal (${(x * 100).toFixed(2)}% of the portfolio) @ ${(this.p.mgmtFee * 100).toFixed(2)}% p.a. + GST 18%`);
    if (this.p.perfFee !== undefined) this.withdrawalFees += this.chargeFee('PRF', Math.round(perfDue * x), 'Performance Fees', `Perf fee on withdrawal (${(x * 100).toFixed(2)}% of the portfolio) + GST 18%`);
  }

  // -------------------------------------------------------------------------- events

  inception(): void {
    const p = this.p;
    let cashCorpus = p.corpus;
    if (p.psiShare > 0) {
      // securities transferred in (in specie), valued at market, then cash for the rest
      const eq = this.model.sleeves[0]!;
      const pool: Security[] = [];
      for (const b of eq.buckets) pool.push(...(this.ctx.byBucket.get(b) ?? []));
      const picks = this.rng.sample(pool, this.rng.int(2, 5));
      const budget = p.corpus * p.psiShare;
      let psiTotal = 0;
      for (const s of picks) {
        const rate = s.price[this.t]!;
        const q = Math.max(1, Math.floor(budget / picks.length / rate));
        const amt = q * rate;
        this.addPosition(s.idx, q, amt);
        const ref = this.row('PSI', 'Securities Received - In Specie', s, q, rate, amt, undefined, 'Corpus introduced in specie');
        this.capital('PSI', amt, 'Securities', ref, `In specie: ${s.name}`);
        psiTotal += amt;
      }
      cashCorpus = Math.max(10 * LAKH, Math.round((p.corpus - psiTotal) / LAKH) * LAKH);
      this.dayIn += psiTotal;
    }
    this.cash += cashCorpus;
    const ref = this.row('CS+', 'Corpus Introduced - Cash', undefined, undefined, undefined, cashCorpus, undefined, 'Initial corpus');
    this.capital('CS+', cashCorpus, 'Cash', ref, 'Initial corpus');
    this.dayIn += cashCorpus;
    this.thrDate = addDays(this.ctx.dates[this.t] as string, -1);
    this.thrLog = this.benchLogAt(this.thrDate);
    this.deploy(this.cash, 'Corpus deployment');
  }

  private addition(): void {
    const v = this.value();
    const amt = Math.max(5 * LAKH, Math.round((v * this.rng.range(0.08, 0.5)) / (5 * LAKH)) * 5 * LAKH);
    this.cash += amt;
    const ref = this.row('CS+', 'Additional Corpus - Cash', undefined, undefined, undefined, amt, undefined, 'Top-up');
    this.capital('CS+', amt, 'Cash', ref, 'Additional corpus');
    this.dayIn += amt;
    this.deploy(amt, 'Deployment of additional corpus');
    this.ctx.stats.additions = (this.ctx.stats.additions ?? 0) + 1;
  }

  private withdrawal(): void {
    const v = this.value();
    if (this.rng.chance(0.12) && this.secs.length > 10) {
      // in-specie withdrawal of one position
      const i = this.rng.int(0, this.secs.length - 1);
      const s = this.secs[i]!;
      const sec = this.ctx.secs[s]!;
      const q = this.qty[i]!;
      const rate = this.price(s);
      const amt = q * rate;
      if (v - amt < 50 * LAKH) return;
      this.removeQty(i, q);
      this.target.delete(s);
      const ref = this.row('PSO', 'Securities Withdrawn - In Specie', sec, q, rate, amt, undefined, 'Partial withdrawal in specie');
      this.capital('PSO', amt, 'Securities', ref, `In specie: ${sec.name}`);
      this.hwmOutflow(amt);
      this.ctx.stats.withdrawals = (this.ctx.stats.withdrawals ?? 0) + 1;
      return;
    }
    const amt = Math.floor((v * this.rng.range(0.05, 0.3)) / LAKH) * LAKH;
    if (amt < 5 * LAKH || v - amt < 50 * LAKH) return;
    // pro-rata sale, then top up from the largest position if short
    const s = this.securitiesValue();
    const need = amt + v * this.cashTarget - this.cash;
    if (need > 0 && s > 0) {
      const frac = Math.min(1, need / s);
      for (let i = this.secs.length - 1; i >= 0; i--) this.sell(i, Math.ceil(this.qty[i]! * frac), 'Sale for withdrawal');
    }
    this.raiseCash(amt, 'Sale for withdrawal');
    if (this.cash < amt) return;
    this.cash -= amt;
    const ref = this.row('CS-', 'Partial Withdrawal - Cash', undefined, undefined, undefined, amt, undefined, 'Partial withdrawal');
    this.capital('CS-', amt, 'Cash', ref, 'Partial withdrawal');
    this.hwmOutflow(amt);
    this.ctx.stats.withdrawals = (this.ctx.stats.withdrawals ?? 0) + 1;
  }

  private rebalance(): void {
    if (this.secs.length === 0) return;
    const total = this.value();
    const action = this.rng.u();
    if (action < 0.45) {
      // switch: exit one holding, enter a new name in the same bucket
      const i = this.rng.int(0, this.secs.length - 1);
      const s = this.secs[i]!;
      const bucket = this.ctx.secs[s]!.bucket;
      const w = this.target.get(s) ?? 1 / this.secs.length;
      const n = this.pickNew([bucket]);
      if (n === undefined) return;
      this.sell(i, this.qty[i]!, 'Portfolio rebalancing');
      this.target.delete(s);
      this.target.set(n, w);
      this.buyValue(n, Math.min(this.cash - total * this.cashTarget * 0.5, w * total), 'Portfolio rebalancing');
    } else {
      // trim the most overweight, add to the most underweight
      let over = -1;
      let under = -1;
      let overX = -Infinity;
      let underX = Infinity;
      for (let i = 0; i < this.secs.length; i++) {
        const s = this.secs[i]!;
        const w = this.target.get(s) ?? 0;
        const x = (this.qty[i]! * this.price(s)) / total - w;
        if (x > overX) {
          overX = x;
          over = i;
        }
        if (x < underX) {
          underX = x;
          under = i;
        }
      }
      const underSec = this.secs[under]!;
      if (over >= 0 && overX > 0.002) this.sell(over, Math.ceil(this.qty[over]! * this.rng.range(0.15, 0.4)), 'Portfolio rebalancing');
      const spare = this.cash - total * this.cashTarget;
      if (spare > 0) this.buyValue(underSec, Math.min(spare, Math.max(0, -underX) * total + spare * 0.5), 'Portfolio rebalancing');
    }
    if (this.cash < total * this.cashTarget * 0.3) this.raiseCash(total * this.cashTarget, 'Cash management');
  }

  private income(): void {
    for (let i = 0; i < this.secs.length; i++) {
      const sec = this.ctx.secs[this.secs[i]!]!;
      const perUnit = sec.income[this.t]!;
      if (perUnit <= 0) continue;
      const amt = this.qty[i]! * perUnit;
      if (amt <= 0) continue;
      this.cash += amt;
      this.row('IN1', `${sec.incomeDesc} Received`, sec, this.qty[i]!, perUnit, amt, undefined, `${sec.incomeDesc} @ ${plain2(perUnit)} per unit`);
      if (this.p.client.nri) {
        const tds = Math.round(amt * 0.208);
        this.cash -= tds;
        const ref = this.row('TDP', 'TDS Deducted', sec, undefined, undefined, tds, undefined, `TDS u/s 195 @ 20.80% on ${sec.incomeDesc.toLowerCase()}`);
        this.capital('TDP', tds, 'Cash', ref, `TDS on ${sec.incomeDesc.toLowerCase()} - ${sec.name}`);
        this.hwmOutflow(tds);
      }
    }
  }

  private assetTypeChange(): void {
    if (this.secs.length === 0) return;
    const i = this.rng.int(0, this.secs.length - 1);
    const sec = this.ctx.secs[this.secs[i]!]!;
    const q = this.qty[i]!;
    const rate = this.price(sec.idx);
    this.row('OPO', 'Transfer Out', sec, q, rate, q * rate, undefined, 'Change in Asset type');
    this.row('OPI', 'Transfer In', sec, q, rate, q * rate, undefined, 'Change in Asset type');
    this.ctx.stats.assetTypeChanges = (this.ctx.stats.assetTypeChanges ?? 0) + 1;
  }

  /** Charges fee + GST from cash; answers the amount charged. */
  private chargeFee(code: 'MGF' | 'CUS' | 'PRF', fee: number, desc: string, memo: string): number {
    if (fee <= 0) return 0;
    const gst = Math.round(fee * GST);
    const net = fee + gst;
    if (this.cash < net) this.raiseCash(net + Math.round(this.value() * this.cashTarget * 0.5), 'Sale for fee payment');
    if (this.cash < net) throw new Error(`${this.p.code}: cannot pay ${code} on ${this.ctx.dates[this.t]}`);
    this.cash -= net;
    this.row(code, desc, undefined, undefined, undefined, net, undefined, memo, gst);
    this.ctx.stats[`fees${code}`] = (this.ctx.stats[`fees${code}`] ?? 0) + net / 100;
    return net;
  }

  /**
   * True when today is the last trading day of a charge period of the portfolio's plan (financial-year quarters, or
   * periods from the day before inception): the back office books the charge on the period's last business day.
   */
  private periodEnds(frequency: ChargeFrequency): boolean {
    const next = this.ctx.dates[this.t + 1];
    if (next === undefined) return false;
    const d = this.ctx.dates[this.t] as string;
    if (frequency === 'quarterly' && this.anchor === 'financial-year') return this.ctx.quarterEnd[this.t] === 1;
    const base = addDays(this.ctx.dates[this.p.incIdx] as string, -1);
    return next > nextChargeDate(frequency, this.anchor, base, addDays(d, -1));
  }

  /**
   * Fees per methodology §10.1–10.2: the management fee accrues on each calendar day's closing value × rate / 365 (a day
   * without a valuation at the previous close, added in run()), charged quarterly; the performance fee is tested at the
   * plan's frequency (and at closure) on the value after the management fee, above the threshold.
   */
  private fees(closing: boolean): void {
    const d = this.ctx.dates[this.t] as string;
    const days = this.t > this.p.incIdx ? daysBetween(this.ctx.dates[this.t - 1] as string, d) : 1;
    this.custodyAccrual += (this.value() * this.p.custody * days) / 365;
    this.growThreshold(d);
    const mgmtDay = this.periodEnds('quarterly') || closing;
    const rate = this.p.perfFee;
    const perfDay = rate !== undefined && (closing || this.periodEnds(this.perfFreq));
    const label = closing ? `up to ${dMonY(d)} (closure)` : `for quarter ended ${dMonY(d)}`;
    if (mgmtDay) {
      this.chargeFee('CUS', Math.round(this.custodyAccrual), 'Custody Charges', `Custody ${label} + GST 18%`);
      this.custodyAccrual = 0;
    }
    if (mgmtDay || perfDay) {
      // raise the cash for the day's fees first: the replay measures them on the valuation plus the MGF/PRF charged, so
      // custody and the costs of any sale must already be in the value they are computed on
      const v0 = this.value();
      const mgmt = mgmtDay ? (this.mgmtAccrual + (v0 * this.p.mgmtFee) / 365) * (1 + GST) : 0;
      const perf = perfDay && v0 - mgmt > this.thr ? rate! * (v0 - mgmt - this.thr) * (1 + GST) : 0;
      const need = Math.ceil((mgmt + perf) * 1.01) + 100;
      if (this.cash < need) this.raiseCash(need + Math.round(v0 * this.cashTarget * 0.5), 'Sale for fee payment');
    }
    this.mgmtAccrual += ((this.value() + this.withdrawalFees) * this.p.mgmtFee) / 365;
    this.withdrawalFees = 0;
    if (mgmtDay) {
      const o = DELIBERATE_OVERCHARGE;
      const rateCharged = !closing && this.p.code === o.code && d.startsWith(o.month) ? this.p.mgmtFee + o.extraRate : this.p.mgmtFee;
      const fee = Math.round(rateCharged === this.p.mgmtFee ? this.mgmtAccrual : (this.mgmtAccrual * rateCharged) / this.p.mgmtFee);
      this.chargeFee('MGF', fee, 'Management Fees', `Mgmt fee ${label} @ ${(rateCharged * 100).toFixed(2)}% p.a. + GST 18%`);
      this.mgmtAccrual = 0;
    }
    if (perfDay) {
      const now = this.value();
      const fee = now > this.thr ? Math.round(rate! * (now - this.thr)) : 0;
      if (fee > 0) {
        const period = this.perfFreq === 'annual' && this.anchor === 'financial-year' ? fyLabel(d) : `period ended ${dMonY(d)}`;
        const hurdle = this.hurdleKind === 'benchmark' ? 'benchmark' : `${((this.p.hurdle ?? 0) * 100).toFixed(0)}%`;
        this.chargeFee('PRF', fee, 'Performance Fees', `Perf fee ${period}: ${(rate! * 100).toFixed(0)}% above ${hurdle} hurdle over high-water mark + GST 18%`);
        this.thr = this.value();
      }
    }
  }

  private writeHoldings(): void {
    const d = dMonY(this.ctx.dates[this.t] as string);
    const order = this.secs.map((s, i) => i).sort((a, b) => this.qty[b]! * this.price(this.secs[b]!) - this.qty[a]! * this.price(this.secs[a]!));
    for (const i of order) {
      const sec = this.ctx.secs[this.secs[i]!]!;
      const rate = this.price(sec.idx);
      this.ctx.hold.row(csvRow([d, this.p.code, sec.isin, sec.name, sec.assetClass, sec.sector, String(this.qty[i]!), inr(Math.round(this.cost[i]! / this.qty[i]!)), inr(rate), inr(this.qty[i]! * rate)]));
    }
    this.ctx.hold.row(csvRow([d, this.p.code, BLANK, 'Cash & Bank Balance', 'Cash', BLANK, '1', inr(this.cash), inr(this.cash), inr(this.cash)]));
  }

  /** runs the whole life of the portfolio, writing its rows */
  run(): { finalValue: number; closed: boolean } {
    const T = this.ctx.dates.length;
    const p = this.p;
    const liq = p.client.liquidateIdx;
    const last = liq ?? T - 1;
    // planned events
    const events = new Map<number, string[]>();
    const at = (t: number, e: string): void => {
      if (t > p.incIdx && t < last) events.set(t, [...(events.get(t) ?? []), e]);
    };
    const span = last - p.incIdx;
    const nAdd = this.rng.weighted([[0, 62], [1, 24], [2, 10], [3, 4]] as const);
    for (let k = 0; k < nAdd; k++) at(p.incIdx + this.rng.int(20, Math.max(21, span - 5)), 'add');
    const nWd = this.rng.weighted([[0, 76], [1, 18], [2, 6]] as const);
    for (let k = 0; k < nWd; k++) at(p.incIdx + this.rng.int(60, Math.max(61, span - 5)), 'wd');
    if (this.rng.chance(0.04)) at(p.incIdx + this.rng.int(30, Math.max(31, span - 5)), 'opx');
    for (let t = p.incIdx + this.rng.int(15, 45); t < last; t += this.rng.int(18, 55)) at(t, 'rebal');

    let v = 0;
    for (let t = p.incIdx; t <= last; t++) {
      this.t = t;
      if (t > p.incIdx) {
        // calendar days without a valuation accrue at the previous close
        const gap = daysBetween(this.ctx.dates[t - 1] as string, this.ctx.dates[t] as string) - 1;
        this.mgmtAccrual += (this.lastClose * p.mgmtFee * gap) / 365;
      }
      if (t === p.incIdx) this.inception();
      else this.income();
      for (const e of events.get(t) ?? []) {
        if (e === 'add') this.addition();
        else if (e === 'wd') this.withdrawal();
        else if (e === 'opx') this.assetTypeChange();
        else this.rebalance();
      }
      this.settleFlows();
      const closing = liq !== undefined && t === liq;
      if (closing) for (let i = this.secs.length - 1; i >= 0; i--) this.sell(i, this.qty[i]!, 'Liquidation on full redemption');
      this.fees(closing);
      if (this.cash < 0) throw new Error(`${p.code}: negative cash on ${this.ctx.dates[t]}`);
      v = this.value();
      this.lastClose = v;
      this.ctx.val.row(csvRow([p.code, dmySlash(this.ctx.dates[t] as string), inr(v), inr(this.cash)]));
      if (this.ctx.snapshot[t] === 1) this.writeHoldings();
    }
    if (liq !== undefined) {
      // proceeds paid out the next trading day: the whole value, after which the account is closed
      this.t = liq + 1;
      const amt = this.cash;
      this.cash = 0;
      const ref = this.row('CS-', 'Full Redemption - Cash', undefined, undefined, undefined, amt, undefined, 'Full redemption; account closed');
      this.capital('CS-', amt, 'Cash', ref, 'Full redemption');
      return { finalValue: 0, closed: true };
    }
    return { finalValue: v, closed: false };
  }
}

// ---------------------------------------------------------------------------------------------- entry point

export async function generateDemoBook(opts: DemoBookOptions): Promise<{ files: DemoBookFile[]; asOf: string; stats: Record<string, number> }> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const nClients = opts.clients ?? 520;
  const from = opts.from ?? '2020-04-01';
  const to = lastTradingDateOnOrBefore(opts.to ?? '2025-12-10');
  if (to < from) throw new Error(`'to' (${to}) is before 'from' (${from})`);
  mkdirSync(opts.outDir, { recursive: true });

  const strategies = (JSON.parse(readFileSync(join(ROOT, 'config', 'strategies.json'), 'utf8')) as { strategies: StrategyCfg[] }).strategies;
  const benchmarks = JSON.parse(readFileSync(join(ROOT, 'config', 'benchmarks.json'), 'utf8')) as {
    indices: { code: string }[];
    benchmarks: { code: string; components: { index: string; weight: string }[] }[];
  };

  const market = loadMarketPaths(from, to);
  const dates = market.dates;
  const T = dates.length;
  const secs = buildUniverse(seed, market);
  const byBucket = new Map<Bucket, Security[]>();
  for (const s of secs) byBucket.set(s.bucket, [...(byBucket.get(s.bucket) ?? []), s]);

  const quarterEnd = new Uint8Array(T);
  const fyEnd = new Uint8Array(T);
  const snapshot = new Uint8Array(T);
  for (let t = 0; t < T; t++) {
    const d = dates[t] as string;
    const next = dates[t + 1];
    const month = Number(d.slice(5, 7));
    if (next !== undefined && next.slice(5, 7) !== d.slice(5, 7) && month % 3 === 0) {
      quarterEnd[t] = 1;
      snapshot[t] = 1;
      if (month === 3) fyEnd[t] = 1;
    }
  }
  snapshot[T - 1] = 1;

  const rms = buildRms(seed);
  const clients = planBook(seed, nClients, dates, strategies, rms);
  const stats: Record<string, number> = {};
  const path = (k: DemoBookKind): string => join(opts.outDir, FILE_NAMES[k]);
  const header = (k: DemoBookKind): string => csvRow(HEADERS[k]);

  // ---- benchmark values: every index of config/benchmarks.json on the NIFTY trading calendar (LOCF for NAVs)
  const bench = new CsvSink(path('benchmark-values'), header('benchmark-values'));
  const nifty = readSeries(FILES.nifty);
  const benchCalendar = nifty.dates.filter((d) => d <= to);
  const indexValues = new Map<string, { date: string; value: string }[]>();
  for (const idx of benchmarks.indices) {
    const src = INDEX_FILES[idx.code];
    if (!src) throw new Error(`no market file for index ${idx.code}`);
    const aligned = alignToCalendar(readSeries(src.file), benchCalendar, src.notBefore);
    const written: { date: string; value: string }[] = [];
    benchCalendar.forEach((d, i) => {
      const a = aligned[i]!;
      if (a.text) {
        bench.row(csvRow([idx.code, d, a.text]));
        written.push({ date: d, value: a.text });
      }
    });
    indexValues.set(idx.code, written);
    await bench.maybeFlush();
  }
  await bench.close();
  // each benchmark's cumulative log growth, exactly as the analytics store it (benchmark_series), for benchmark hurdles
  const benchLog = new Map<string, Map<string, number>>();
  for (const b of benchmarks.benchmarks) {
    const components = b.components.map((c) => ({ weight: Number(c.weight), values: indexValues.get(c.index) ?? [] }));
    const common = components.map((c) => new Set(c.values.map((v) => v.date)));
    const first = components[0]?.values.map((v) => v.date).find((d) => common.every((x) => x.has(d)));
    if (first === undefined) continue;
    const m = new Map<string, number>([[first, 0]]);
    let lg = 0;
    for (const r of blendedIndexReturns({ components })) {
      lg += Math.log(Math.max(1 + r.return, 1e-300));
      m.set(r.date, lg);
    }
    benchLog.set(b.code, m);
  }

  // ---- RM master
  const rmSink = new CsvSink(path('relationship-managers'), header('relationship-managers'));
  for (const r of rms) rmSink.row(csvRow([r.code, r.name, r.email, r.managerCode ?? BLANK, r.city]));
  await rmSink.close();

  // ---- simulate portfolios: transactions, capital register, valuations, holdings
  const ctx: Ctx = {
    dates,
    secs,
    byBucket,
    quarterEnd,
    fyEnd,
    snapshot,
    tx: new CsvSink(path('transactions'), header('transactions')),
    cap: new CsvSink(path('capital-flows'), header('capital-flows')),
    hold: new CsvSink(path('holdings'), header('holdings')),
    val: new CsvSink(path('valuations'), header('valuations')),
    refNo: { n: 0 },
    stats,
    benchLog,
    feePlans: JSON.parse(readFileSync(join(ROOT, 'config', 'fee-plans.json'), 'utf8')) as FeePlansFile,
  };
  const allPfs = clients.flatMap((c) => c.portfolios).sort((a, b) => (a.code < b.code ? -1 : 1));
  let aum = 0;
  for (const p of allPfs) {
    const r = new PortfolioSim(ctx, p, seed).run();
    aum += r.finalValue;
    await Promise.all([ctx.tx.maybeFlush(), ctx.cap.maybeFlush(), ctx.hold.maybeFlush(), ctx.val.maybeFlush()]);
  }
  await Promise.all([ctx.tx.close(), ctx.cap.close(), ctx.hold.close(), ctx.val.close()]);

  // ---- portfolio master (an Excel-saved CSV: UTF-8 BOM)
  const pfSink = new CsvSink(path('portfolios'), header('portfolios'), { bom: true });
  for (const p of allPfs) {
    const liq = p.client.liquidateIdx;
    const closedDate = liq === undefined ? undefined : (dates[liq + 1] as string);
    pfSink.row(
      csvRow([
        p.code,
        p.client.code,
        p.strategy.code,
        dmySlash(dates[p.incIdx] as string),
        closedDate ? 'Closed' : 'Active',
        closedDate ? dmySlash(closedDate) : BLANK,
        (p.mgmtFee * 100).toFixed(2),
        p.perfFee !== undefined ? (p.perfFee * 100).toFixed(2) : BLANK,
        p.hurdle !== undefined ? (p.hurdle * 100).toFixed(2) : BLANK,
      ]),
    );
  }
  await pfSink.close();

  // ---- client master (XLSX, real date cells)
  const wb = new ExcelJS.Workbook();
  const fixed = isoToUtcDate(to);
  wb.creator = 'Wealth Spectrum';
  wb.created = fixed;
  wb.modified = fixed;
  const ws = wb.addWorksheet('Client Master');
  ws.addRow([...HEADERS.clients]);
  ws.getRow(1).font = { bold: true };
  for (const c of clients) {
    ws.addRow([c.code, c.name, c.pan, c.rm.code, c.rm.name, c.risk, c.city, c.state, isoToUtcDate(dates[c.onboardIdx] as string), c.liquidateIdx !== undefined ? 'Closed' : 'Active', c.email]);
  }
  ws.getColumn(9).numFmt = 'dd-mmm-yyyy';
  HEADERS.clients.forEach((h, i) => (ws.getColumn(i + 1).width = Math.max(12, h.length + 2)));
  ws.getColumn(2).width = 34;
  ws.getColumn(11).width = 38;
  const xbuf = Buffer.from(await wb.xlsx.writeBuffer());
  writeFileSync(path('clients'), normaliseZipTimestamps(xbuf, fixed));

  // ---- stats
  const pfCount = allPfs.length;
  Object.assign(stats, {
    clients: clients.length,
    closedClients: clients.filter((c) => c.liquidateIdx !== undefined).length,
    relationshipManagers: rms.length,
    portfolios: pfCount,
    closedPortfolios: allPfs.filter((p) => p.client.liquidateIdx !== undefined).length,
    tradingDays: T,
    aumRupees: aum / 100,
    securities: secs.length,
  });
  for (const k of Object.keys(stats)) if (k.startsWith('fees')) stats[k] = Math.round(stats[k]! * 100) / 100;

  const files: DemoBookFile[] = [
    { kind: 'benchmark-values', path: path('benchmark-values'), rows: bench.rows },
    { kind: 'relationship-managers', path: path('relationship-managers'), rows: rmSink.rows },
    { kind: 'clients', path: path('clients'), rows: clients.length },
    { kind: 'portfolios', path: path('portfolios'), rows: pfSink.rows },
    { kind: 'transactions', path: path('transactions'), rows: ctx.tx.rows },
    { kind: 'capital-flows', path: path('capital-flows'), rows: ctx.cap.rows },
    { kind: 'holdings', path: path('holdings'), rows: ctx.hold.rows },
    { kind: 'valuations', path: path('valuations'), rows: ctx.val.rows },
  ];
  stats.totalBytes = files.reduce((a, f) => a + statSync(f.path).size, 0);
  return { files, asOf: to, stats };
}

