import { AnalyticsInputError } from '../shared/analytics-error.js';
import { addDays, addMonths, fromDayNumber, makeDate, monthEnd, splitDate, toDayNumber } from '../shared/iso-date.js';

export const NAMED_PERIODS = ['MTD', 'QTD', 'YTD', 'FYTD', '1M', '3M', '6M', '1Y', '2Y', '3Y', '5Y', 'SI'] as const;
export type NamedPeriod = (typeof NAMED_PERIODS)[number];
export interface CustomPeriod {
  /** Base date: the return is measured from the close of this date. */
  from: string;
  to: string;
}
export type Period = NamedPeriod | CustomPeriod;

export interface PeriodRange {
  /** The named period, or 'CUSTOM'. */
  period: NamedPeriod | 'CUSTOM';
  /** Base date: the return runs from the close of `from` to the close of `to`. */
  from: string;
  to: string;
  /** Calendar days from `from` to `to`: the length that decides absolute vs annualised. */
  days: number;
  /**
   * false when the portfolio did not exist for the whole period: `from` is then clipped to the day before
   * inception and the period's return must not be reported (SEBI: no returns for periods not fully lived).
   */
  complete: boolean;
}

const TRAILING_MONTHS: Partial<Record<NamedPeriod, number>> = {
  '1M': 1,
  '3M': 3,
  '6M': 6,
  '1Y': 12,
  '2Y': 24,
  '3Y': 36,
  '5Y': 60,
};

/**
 * The date range of a reporting period as of `asOf` for a portfolio that started on `inceptionDate`.
 * `from` is a base date: the period's opening value is the valuation at the close of `from` (= the previous period's end).
 * - MTD / QTD / YTD: from the last day of the previous calendar month / quarter / year.
 * - FYTD: from 31 March (Indian financial year starts 1 April).
 * - 1M…5Y: the same date n months earlier; day clipped to the month's length, and a month-end `asOf` maps to the
 *   month end (31 May − 3M = 29 Feb 2024; 30 Apr − 1M = 31 Mar).
 * - SI: from the day before inception (value 0): the inception day's return is included.
 * - custom: `from` and `to` as given.
 * Returns null when `to` is before inception.
 */
export function periodRange(period: Period, asOf: string, inceptionDate: string): PeriodRange | null {
  const inceptionBase = toDayNumber(inceptionDate) - 1;
  let label: PeriodRange['period'];
  let from: string;
  let to = asOf;
  if (typeof period === 'object') {
    label = 'CUSTOM';
    from = period.from;
    to = period.to;
    if (toDayNumber(to) < toDayNumber(from)) throw new AnalyticsInputError(`Custom period ends (${to}) before it starts (${from})`);
  } else {
    label = period;
    from = nominalFrom(period, asOf, inceptionDate);
  }
  const toDay = toDayNumber(to);
  if (toDay <= inceptionBase) return null;
  let fromDay = toDayNumber(from);
  let complete = true;
  if (fromDay < inceptionBase) {
    fromDay = inceptionBase;
    complete = false;
  }
  return { period: label, from: fromDayNumber(fromDay), to, days: toDay - fromDay, complete };
}

function nominalFrom(period: NamedPeriod, asOf: string, inceptionDate: string): string {
  const { year, month } = splitDate(asOf);
  switch (period) {
    case 'MTD':
      return monthEnd(year, month, -1);
    case 'QTD': {
      const quarterStartMonth = month - ((month - 1) % 3);
      return monthEnd(year, quarterStartMonth, -1);
    }
    case 'YTD':
      return makeDate(year - 1, 12, 31);
    case 'FYTD':
      return makeDate(month >= 4 ? year : year - 1, 3, 31);
    case 'SI':
      return addDays(inceptionDate, -1);
    default: {
      const months = TRAILING_MONTHS[period];
      if (months === undefined) throw new AnalyticsInputError(`Unknown period '${String(period)}'`);
      return addMonths(asOf, -months, true);
    }
  }
}
