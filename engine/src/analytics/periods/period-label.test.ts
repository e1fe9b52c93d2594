import { describe, expect, it } from 'vitest';
import { parsePeriodLabel } from './period-label.js';

describe('parsePeriodLabel', () => {
  it('reads the labels of Wealth Spectrum fact sheets and our own codes', () => {
    const cases: [string, string | null][] = [
      ['1 Month', '1M'],
      ['3 Months', '3M'],
      ['6 months', '6M'],
      ['1 Year', '1Y'],
      ['2 Yrs', '2Y'],
      ['3 Years', '3Y'],
      ['5Y', '5Y'],
      ['Since Inception', 'SI'],
      ['ytd', 'YTD'],
      ['Financial Year to Date', 'FYTD'],
      ['QTD', 'QTD'],
      ['Month to date', 'MTD'],
      ['4 Years', null],
      ['10 Years', null],
      ['last week', null],
    ];
    for (const [label, expected] of cases) expect(parsePeriodLabel(label), label).toBe(expected);
  });
});
