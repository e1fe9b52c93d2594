import { NAMED_PERIODS, type NamedPeriod } from './period-range.js';

const WORDS: Record<string, NamedPeriod> = {
  'month to date': 'MTD',
  'quarter to date': 'QTD',
  'year to date': 'YTD',
  'calendar year to date': 'YTD',
  'financial year to date': 'FYTD',
  'fiscal year to date': 'FYTD',
  'since inception': 'SI',
  inception: 'SI',
  'since inception (annualised)': 'SI',
  'since inception (annualized)': 'SI',
};

/**
 * A reporting-period label as back-office reports print it ('1 Month', '3 Months', '1 Year', '3 Yrs', 'Since Inception',
 * 'FYTD', '1Y'…) → our named period; null when it is not one of them.
 */
export function parsePeriodLabel(label: string): NamedPeriod | null {
  const s = label.trim().toLowerCase().replace(/\s+/g, ' ');
  const upper = s.toUpperCase().replace(/ /g, '');
  if ((NAMED_PERIODS as readonly string[]).includes(upper)) return upper as NamedPeriod;
  if (WORDS[s]) return WORDS[s];
  const m = /^(\d+) ?(m|mo|mon|month|months|y|yr|yrs|year|years)$/.exec(s);
  if (!m) return null;
  const candidate = `${m[1]}${m[2]!.startsWith('m') ? 'M' : 'Y'}`;
  return (NAMED_PERIODS as readonly string[]).includes(candidate) ? (candidate as NamedPeriod) : null;
}
