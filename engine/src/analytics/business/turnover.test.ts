import { describe, expect, it } from 'vitest';
import { turnover } from './turnover.js';

describe('turnover', () => {
  it('min(purchases, sales) / average AUM over the 12 months to the as-of date (hand)', () => {
    // Window (31 Mar 2024, 31 Mar 2025]: purchases 3 + 2 = 5, sales 3 (the 31 Mar 2024 sale is outside);
    // AUM 100, 100, 101 → average 100.333… (shown 100.33); 3 / (301/3) = 9 / 301 = 0.029900332225913623 (python3)
    const result = turnover({
      asOf: '2025-03-31',
      trades: [
        { date: '2024-03-31', kind: 'sale', amount: '50' },
        { date: '2024-05-10', kind: 'purchase', amount: '3' },
        { date: '2024-08-10', kind: 'sale', amount: '3' },
        { date: '2025-01-10', kind: 'purchase', amount: '2' },
      ],
      aum: [
        { date: '2024-03-31', value: '500' },
        { date: '2024-06-30', value: '100' },
        { date: '2024-09-30', value: '100' },
        { date: '2025-03-31', value: '101' },
      ],
    });
    expect(result).toEqual({
      from: '2024-03-31',
      to: '2025-03-31',
      purchases: '5',
      sales: '3',
      averageAum: '100.33',
      turnover: 0.029900332225913623,
    });
  });

  it('is undefined (null) without AUM in the window', () => {
    expect(turnover({ asOf: '2025-03-31', trades: [], aum: [] })).toMatchObject({ averageAum: null, turnover: null });
  });
});
