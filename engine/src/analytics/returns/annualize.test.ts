import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from '../shared/analytics-error.js';
import { annualize } from './annualize.js';

describe('annualize', () => {
  it('keeps a return absolute for a period under one year (SEBI)', () => {
    expect(annualize(0.05, 364)).toEqual({ value: 0.05, annualized: false, days: 364 });
  });

  it('annualises from exactly 365 days: (1 + R)^(365/365) − 1 = R', () => {
    const result = annualize(0.12, 365);
    expect(result).toMatchObject({ annualized: true, days: 365 });
    expect(result.value).toBeCloseTo(0.12, 15);
  });

  it('annualises a two-year return actual/365', () => {
    // 1.21^(365/731) − 1 = 0.09985658773828732 (python3: 1.21**(365/731)-1)
    const result = annualize(0.21, 731);
    expect(result.annualized).toBe(true);
    expect(result.value).toBeCloseTo(0.09985658773828732, 15);
  });

  it('annualises a total loss to −100%', () => {
    expect(annualize(-1, 800).value).toBe(-1);
  });

  it('rejects a negative period length', () => {
    expect(() => annualize(0.1, -1)).toThrow(AnalyticsInputError);
  });

  it('rejects a return below −100%', () => {
    expect(() => annualize(-1.5, 400)).toThrow(AnalyticsInputError);
  });
});
