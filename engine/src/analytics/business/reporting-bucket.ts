import { AnalyticsInputError } from '../shared/analytics-error.js';
import { daysInMonth, makeDate, splitDate } from '../shared/iso-date.js';

export type Grain = 'month' | 'quarter' | 'year';
/** 'financial': Indian financial year, April–March (default); 'calendar': January–December. */
export type YearBasis = 'financial' | 'calendar';

export interface ReportingBucket {
  /** '2024-04' (month); 'FY2024-25 Q1' / '2024 Q2' (quarter); 'FY2024-25' / '2024' (year). */
  period: string;
  /** First day of the bucket. */
  from: string;
  /** Last day of the bucket (inclusive). */
  to: string;
}

const LENGTH: Record<Grain, number> = { month: 1, quarter: 3, year: 12 };

/** Month index = year × 12 + (month − 1): consecutive buckets are consecutive runs of month indexes. */
function startMonthIndex(date: string, grain: Grain, basis: YearBasis): number {
  const { year, month } = splitDate(date);
  const index = year * 12 + month - 1;
  const offset = grain === 'month' || basis === 'calendar' ? 0 : 3;
  const length = LENGTH[grain];
  return Math.floor((index - offset) / length) * length + offset;
}

function bucketFromIndex(start: number, grain: Grain, basis: YearBasis): ReportingBucket {
  const year = Math.floor(start / 12);
  const month = start - year * 12 + 1;
  const endIndex = start + LENGTH[grain] - 1;
  const endYear = Math.floor(endIndex / 12);
  const endMonth = endIndex - endYear * 12 + 1;
  const from = makeDate(year, month, 1);
  const to = makeDate(endYear, endMonth, daysInMonth(endYear, endMonth));
  return { period: label(year, month, grain, basis), from, to };
}

function label(year: number, month: number, grain: Grain, basis: YearBasis): string {
  if (grain === 'month') return `${year}-${String(month).padStart(2, '0')}`;
  if (basis === 'calendar') return grain === 'year' ? String(year) : `${year} Q${Math.floor((month - 1) / 3) + 1}`;
  const fyStart = month >= 4 ? year : year - 1;
  const fy = `FY${fyStart}-${String((fyStart + 1) % 100).padStart(2, '0')}`;
  if (grain === 'year') return fy;
  return `${fy} Q${Math.floor(((month + 8) % 12) / 3) + 1}`;
}

/** The month / quarter / year containing `date`. Quarters and years follow the Indian FY unless basis is 'calendar'. */
export function bucketOf(date: string, grain: Grain, basis: YearBasis = 'financial'): ReportingBucket {
  if (!(grain in LENGTH)) throw new AnalyticsInputError(`Unknown grain '${String(grain)}'`);
  return bucketFromIndex(startMonthIndex(date, grain, basis), grain, basis);
}

/** Every bucket from the one containing `first` to the one containing `last`, in order (gaps included). */
export function bucketsBetween(first: string, last: string, grain: Grain, basis: YearBasis = 'financial'): ReportingBucket[] {
  const out: ReportingBucket[] = [];
  const end = startMonthIndex(last, grain, basis);
  for (let i = startMonthIndex(first, grain, basis); i <= end; i += LENGTH[grain]) out.push(bucketFromIndex(i, grain, basis));
  return out;
}
