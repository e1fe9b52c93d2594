import { describe, expect, it } from 'vitest';
import { periodReturn } from './period-return.js';

// Portfolio funded with 100 on Mon 2 Jan 2023; +10% to 29 Dec 2023 (Fri); +10% in January 2024;
// 100 added on 15 Feb 2024 (no valuation that day: valued with 29 Feb); 233.1 on 29 Feb 2024.
const book = {
  inceptionDate: '2023-01-02',
  valuations: [
    { date: '2023-01-02', value: '100' },
    { date: '2023-12-29', value: '110' },
    { date: '2024-01-31', value: '121' },
    { date: '2024-02-29', value: '233.1' },
  ],
  flows: [
    { date: '2023-01-02', amount: '100' },
    { date: '2024-02-15', amount: '100' },
  ],
};
// February sub-period: (233.1 − 121 − 100) / (121 + 100) = 12.1 / 221 = 0.05475113122171946 (python3)
const FEB = 12.1 / 221;

describe('periodReturn', () => {
  it('MTD is the month sub-period, absolute', () => {
    expect(periodReturn({ ...book, period: 'MTD', asOf: '2024-02-29' })).toEqual({
      period: 'MTD',
      from: '2024-01-31',
      to: '2024-02-29',
      days: 29,
      return: expect.closeTo(FEB, 14) as number,
      annualized: false,
      valuedTo: '2024-02-29',
    });
  });

  it('YTD opens with the last close on or before a holiday base date (31 Dec 2023 was a Sunday)', () => {
    // 1.1 × (1 + 12.1/221) − 1 = 0.16022624434389154 (python3)
    const result = periodReturn({ ...book, period: 'YTD', asOf: '2024-02-29' });
    expect(result).toMatchObject({ from: '2023-12-31', days: 60, annualized: false });
    expect(result?.return).toBeCloseTo(0.16022624434389154, 14);
  });

  it('SI includes the inception day and is annualised after a year', () => {
    // TWRR = 1 × 1.1 × 1.1 × (1 + 12.1/221) − 1 = 0.2762488687782807; 424 days (2023-01-01 → 2024-02-29);
    // (1.2762488687782807)^(365/424) − 1 = 0.23365681849736952 (python3)
    const result = periodReturn({ ...book, period: 'SI', asOf: '2024-02-29' });
    expect(result).toMatchObject({ from: '2023-01-01', days: 424, annualized: true });
    expect(result?.return).toBeCloseTo(0.23365681849736952, 14);
  });

  it('1Y is annualised over its 366 days', () => {
    // base = last close on or before 28 Feb 2023 = 2 Jan 2023 (100); (1.2762488687782807)^(365/366) − 1 = 0.27539858038774234
    const result = periodReturn({ ...book, period: '1Y', asOf: '2024-02-29' });
    expect(result).toMatchObject({ from: '2023-02-28', days: 366, annualized: true });
    expect(result?.return).toBeCloseTo(0.27539858038774234, 14);
  });

  it('is null for 2Y when the portfolio is not two years old', () => {
    expect(periodReturn({ ...book, period: '2Y', asOf: '2024-02-29' })).toBeNull();
  });

  it('is null when no valuation falls in the period', () => {
    expect(periodReturn({ ...book, period: 'MTD', asOf: '2024-03-10' })).toBeNull();
  });

  it('is null when there is no opening valuation for a period starting after inception', () => {
    const valuations = book.valuations.slice(2);
    expect(periodReturn({ ...book, valuations, period: 'YTD', asOf: '2024-02-29' })).toBeNull();
  });

  it('ignores flows on or before the opening valuation (already in the opening value)', () => {
    // A custom period from 2 Jan 2023 (base 100, its inception flow excluded) to 29 Dec 2023: 110 / 100 − 1
    const result = periodReturn({ ...book, period: { from: '2023-01-02', to: '2023-12-29' }, asOf: '2024-02-29' });
    expect(result?.return).toBeCloseTo(0.1, 14);
    expect(result?.annualized).toBe(false);
  });
});
