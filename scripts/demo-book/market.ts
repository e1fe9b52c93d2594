/** The real market series in ./market (see market/SOURCES.md), aligned to the NIFTY 50 TRI trading calendar. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MARKET_DIR = join(dirname(fileURLToPath(import.meta.url)), 'market');

export interface RawSeries {
  dates: string[];
  /** the close exactly as written in the source file */
  texts: string[];
  values: number[];
}

export function readSeries(file: string): RawSeries {
  const text = readFileSync(join(MARKET_DIR, file), 'utf8');
  const dates: string[] = [];
  const texts: string[] = [];
  const values: number[] = [];
  for (const line of text.split(/\r?\n/).slice(1)) {
    if (!line.trim()) continue;
    const [d, v] = line.split(',');
    if (!d || !v) continue;
    dates.push(d.trim());
    texts.push(v.trim());
    values.push(Number(v));
  }
  return { dates, texts, values };
}

/** Last-observation-carried-forward alignment of `s` on `calendar`; undefined before the first observation. */
export function alignToCalendar(s: RawSeries, calendar: readonly string[], notBefore?: string): { value: number; text: string }[] {
  const out: { value: number; text: string }[] = [];
  let j = -1;
  for (const d of calendar) {
    while (j + 1 < s.dates.length && (s.dates[j + 1] as string) <= d) j++;
    if (j < 0 || (notBefore !== undefined && (s.dates[j] as string) < notBefore)) {
      out.push({ value: Number.NaN, text: '' });
    } else {
      out.push({ value: s.values[j] as number, text: s.texts[j] as string });
    }
  }
  return out;
}

export const FILES = {
  nifty: 'nifty50_tri_2015_2025.csv',
  corpBond: 'nav_118987_hdfc_corporate_bond_direct.csv',
  gilt: 'nav_120137_sbi_constant_maturity_gilt_direct.csv',
  liquid: 'nav_119091_hdfc_liquid_direct.csv',
  smallCap: 'nav_125497_sbi_smallcap_direct.csv',
} as const;

/** The liquid fund's NAV changed units (x100) on 2015-08-30: only observations on/after this date are used. */
export const LIQUID_FIRST_DATE = '2015-08-30';

/** index code (config/benchmarks.json) -> file */
export const INDEX_FILES: Record<string, { file: string; notBefore?: string }> = {
  NIFTY50_TRI: { file: FILES.nifty },
  CRISIL_COMPOSITE_BOND_PROXY: { file: FILES.corpBond },
  NIFTY_MED_LONG_DEBT_PROXY: { file: FILES.gilt },
  LIQUID_PROXY: { file: FILES.liquid, notBefore: LIQUID_FIRST_DATE },
};

export interface MarketPaths {
  /** trading dates from the simulation start to `to` */
  dates: string[];
  /** daily simple returns per factor; index 0 is the first date (return 0) */
  nifty: Float64Array;
  smallCap: Float64Array;
  corpBond: Float64Array;
  gilt: Float64Array;
  liquid: Float64Array;
}

function returnsOf(levels: { value: number }[]): Float64Array {
  const r = new Float64Array(levels.length);
  for (let i = 1; i < levels.length; i++) {
    const a = (levels[i - 1] as { value: number }).value;
    const b = (levels[i] as { value: number }).value;
    r[i] = Number.isFinite(a) && Number.isFinite(b) && a > 0 ? b / a - 1 : 0;
  }
  return r;
}

export function loadMarketPaths(from: string, to: string): MarketPaths {
  const nifty = readSeries(FILES.nifty);
  const dates = nifty.dates.filter((d) => d >= from && d <= to);
  if (dates.length < 2) throw new Error(`no NIFTY 50 TRI trading dates between ${from} and ${to}`);
  return {
    dates,
    nifty: returnsOf(alignToCalendar(nifty, dates)),
    smallCap: returnsOf(alignToCalendar(readSeries(FILES.smallCap), dates)),
    corpBond: returnsOf(alignToCalendar(readSeries(FILES.corpBond), dates)),
    gilt: returnsOf(alignToCalendar(readSeries(FILES.gilt), dates)),
    liquid: returnsOf(alignToCalendar(readSeries(FILES.liquid), dates, LIQUID_FIRST_DATE)),
  };
}

/** Last NIFTY 50 TRI date on or before `d`. */
export function lastTradingDateOnOrBefore(d: string): string {
  const nifty = readSeries(FILES.nifty);
  let best: string | undefined;
  for (const x of nifty.dates) if (x <= d) best = x;
  if (!best) throw new Error(`no NIFTY 50 TRI date on or before ${d}`);
  return best;
}
