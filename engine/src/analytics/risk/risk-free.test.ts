import { describe, expect, it } from 'vitest';
import { riskFreePerDay } from './risk-free.js';

describe('riskFreePerDay', () => {
  it('converts 6.5% p.a. to a trading-day rate: 1.065^(1/252) − 1', () => {
    expect(riskFreePerDay(0.065)).toBeCloseTo(0.00024993122427763304, 17); // python3
  });

  it('compounds back to the annual yield over 252 days', () => {
    expect(Math.pow(1 + riskFreePerDay(0.07), 252) - 1).toBeCloseTo(0.07, 12);
  });
});
