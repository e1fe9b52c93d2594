import { describe, expect, it } from 'vitest';
import { bestMonth, hitRate, monthlyReturns, worstMonth } from './monthly-returns.js';

const daily = [
  { date: '2024-02-01', return: -0.02 },
  { date: '2024-01-30', return: 0.01 },
  { date: '2024-01-31', return: 0.02 },
  { date: '2024-02-02', return: null },
  { date: '2024-03-01', return: 0.005 },
];

describe('monthly returns', () => {
  it('compound daily returns into calendar months', () => {
    // Jan: 1.01 × 1.02 − 1 = 0.0302; Feb: −0.02 (null skipped); Mar: 0.005 (hand)
    const months = monthlyReturns(daily);
    expect(months.map((m) => m.month)).toEqual(['2024-01', '2024-02', '2024-03']);
    expect(months[0]?.return).toBeCloseTo(0.0302, 15);
    expect(months[1]?.return).toBeCloseTo(-0.02, 15);
  });

  it('best and worst month', () => {
    const months = monthlyReturns(daily);
    expect(bestMonth(months)?.month).toBe('2024-01');
    expect(worstMonth(months)?.month).toBe('2024-02');
  });

  it('hit rate: share of positive months', () => {
    expect(hitRate(monthlyReturns(daily))).toBeCloseTo(2 / 3, 15);
  });

  it('hit rate against a benchmark: share of months beaten, over months present in both', () => {
    const bench = [
      { month: '2024-01', return: 0.04 },
      { month: '2024-02', return: -0.03 },
    ];
    expect(hitRate(monthlyReturns(daily), bench)).toBe(0.5);
  });

  it('is null / empty without data', () => {
    expect(monthlyReturns([])).toEqual([]);
    expect(bestMonth([])).toBeNull();
    expect(worstMonth([])).toBeNull();
    expect(hitRate([])).toBeNull();
  });
});
