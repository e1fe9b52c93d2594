import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from '../shared/analytics-error.js';
import { aumTrend } from './aum-trend.js';

// P1 valued 100 (1 Jan), 120 (3 Jan), 130 (15 Feb); P2 funded 50 (2 Jan), closed to 0 on 1 Feb.
const valuations = [
  { portfolioId: 'P1', date: '2024-01-03', value: '120' },
  { portfolioId: 'P1', date: '2024-01-01', value: '100' },
  { portfolioId: 'P2', date: '2024-01-02', value: '50.10' },
  { portfolioId: 'P2', date: '2024-02-01', value: '0' },
  { portfolioId: 'P1', date: '2024-02-15', value: '130' },
];

describe('aumTrend', () => {
  it('sums each portfolio’s latest value on every valuation date', () => {
    expect(aumTrend(valuations)).toEqual([
      { period: '2024-01-01', date: '2024-01-01', aum: '100', portfolios: 1 },
      { period: '2024-01-02', date: '2024-01-02', aum: '150.1', portfolios: 2 },
      { period: '2024-01-03', date: '2024-01-03', aum: '170.1', portfolios: 2 },
      { period: '2024-02-01', date: '2024-02-01', aum: '120', portfolios: 1 },
      { period: '2024-02-15', date: '2024-02-15', aum: '130', portfolios: 1 },
    ]);
  });

  it('takes the last valuation date of each month for a monthly trend', () => {
    expect(aumTrend(valuations, { grain: 'month' })).toEqual([
      { period: '2024-01', date: '2024-01-03', aum: '170.1', portfolios: 2 },
      { period: '2024-02', date: '2024-02-15', aum: '130', portfolios: 1 },
    ]);
  });

  it('groups by Indian financial year', () => {
    expect(aumTrend(valuations, { grain: 'year' })).toEqual([{ period: 'FY2023-24', date: '2024-02-15', aum: '130', portfolios: 1 }]);
  });

  it('rejects two valuations of one portfolio on the same date', () => {
    expect(() =>
      aumTrend([
        { portfolioId: 'P1', date: '2024-01-01', value: '1' },
        { portfolioId: 'P1', date: '2024-01-01', value: '2' },
      ]),
    ).toThrow(AnalyticsInputError);
  });

  it('is empty without valuations', () => {
    expect(aumTrend([])).toEqual([]);
  });
});
