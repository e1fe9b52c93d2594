import { AnalyticsInputError } from './analytics-error.js';

/**
 * Calendar dates as ISO strings 'YYYY-MM-DD' and as day numbers (days since 1970-01-01, UTC).
 * No time zones: a date is a calendar day. Day numbers make day counts exact integer subtraction.
 */

/** 'YYYY-MM-DD' → days since 1970-01-01. Throws AnalyticsInputError on anything else (including 2023-02-29). */
export function toDayNumber(date: string): number {
  if (typeof date !== 'string' || date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) {
    throw new AnalyticsInputError(`Invalid date '${String(date)}': expected YYYY-MM-DD`);
  }
  const y = digits(date, 0, 4);
  const m = digits(date, 5, 7);
  const d = digits(date, 8, 10);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
    throw new AnalyticsInputError(`Invalid date '${date}'`);
  }
  return daysFromCivil(y, m, d);
}

/** Days since 1970-01-01 → 'YYYY-MM-DD'. */
export function fromDayNumber(day: number): string {
  const { year, month, day: d } = civilFromDays(day);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${d < 10 ? '0' : ''}${d}`;
}

/** Calendar days from `from` to `to` (negative if `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return toDayNumber(to) - toDayNumber(from);
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export function splitDate(date: string): CivilDate {
  return civilFromDays(toDayNumber(date));
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function isMonthEnd(date: string): boolean {
  const { year, month, day } = splitDate(date);
  return day === daysInMonth(year, month);
}

export function makeDate(year: number, month: number, day: number): string {
  return fromDayNumber(daysFromCivil(year, month, day));
}

/** Last calendar day of the month `months` months away from `year`-`month` (months may be negative). */
export function monthEnd(year: number, month: number, months = 0): string {
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return makeDate(y, m, daysInMonth(y, m));
}

/**
 * Shift a date by whole calendar months. The day of month is kept and clipped to the target month's length
 * (31 May − 3 months = 28/29 February). With `endOfMonth`, a date that is the last day of its month maps to the
 * last day of the target month (30 April − 1 month = 31 March), the usual rule for month-end trailing returns.
 */
export function addMonths(date: string, months: number, endOfMonth = false): string {
  const { year, month, day } = splitDate(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  const last = daysInMonth(y, m);
  const keepEnd = endOfMonth && day === daysInMonth(year, month);
  return makeDate(y, m, keepEnd ? last : Math.min(day, last));
}

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian calendar).
export function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(z0: number): CivilDate {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}
