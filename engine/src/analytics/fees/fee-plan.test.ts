import { describe, expect, it } from 'vitest';
import { chargeDates, feePlan, holdingYear, nextChargeDate, planViolations } from './fee-plan.js';

describe('charge dates', () => {
  it('financial-year quarters end 30 Jun, 30 Sep, 31 Dec, 31 Mar; half-years 30 Sep and 31 Mar; years 31 Mar', () => {
    expect(chargeDates('quarterly', 'financial-year', '2024-03-31', '2024-03-31', '2025-03-31')).toEqual([
      '2024-06-30',
      '2024-09-30',
      '2024-12-31',
      '2025-03-31',
    ]);
    expect(chargeDates('half-yearly', 'financial-year', '2024-05-10', '2024-05-10', '2025-06-30')).toEqual(['2024-09-30', '2025-03-31']);
    expect(chargeDates('annual', 'financial-year', '2023-01-15', '2023-01-15', '2025-03-31')).toEqual(['2023-03-31', '2024-03-31', '2025-03-31']);
    expect(nextChargeDate('monthly', 'financial-year', '2024-01-31', '2024-02-29')).toBe('2024-03-31');
  });

  it('inception-anchored periods run from the base date, month ends kept', () => {
    expect(chargeDates('quarterly', 'inception', '2024-01-15', '2024-01-15', '2024-12-31')).toEqual(['2024-04-15', '2024-07-15', '2024-10-15']);
    expect(nextChargeDate('quarterly', 'inception', '2023-11-30', '2023-11-30')).toBe('2024-02-29');
  });
});

describe('holdingYear', () => {
  it('counts completed anniversaries: the anniversary itself starts the next year', () => {
    expect(holdingYear('2024-03-31', '2025-03-30')).toBe(1);
    expect(holdingYear('2024-03-31', '2025-03-31')).toBe(2);
    expect(holdingYear('2024-02-29', '2025-02-28')).toBe(2);
    expect(holdingYear('2024-03-31', '2027-04-01')).toBe(4);
  });
});

describe('planViolations', () => {
  it('flags exit loads above 3% / 2% / 1% and operating expenses above 0.50% p.a.', () => {
    expect(
      planViolations(
        feePlan({
          exitLoad: ['0.03', '0.02', '0.01'],
          operatingExpenseRate: '0.005',
        }),
      ),
    ).toEqual([]);
    expect(
      planViolations(
        feePlan({
          exitLoad: ['0.035', '0.02', '0.015'],
          operatingExpenseRate: '0.0075',
        }),
      ).map((v) => [v.code, v.field]),
    ).toEqual([
      ['EXIT_LOAD_ABOVE_CAP', 'exitLoad[0]'],
      ['EXIT_LOAD_ABOVE_CAP', 'exitLoad[2]'],
      ['OPERATING_EXPENSES_ABOVE_CAP', 'operatingExpenseRate'],
    ]);
  });

  it('flags a performance fee charged more often than quarterly', () => {
    const plan = { ...feePlan(), performanceFeeFrequency: 'monthly' as never };
    expect(planViolations(plan).map((v) => v.code)).toEqual(['PERFORMANCE_FEE_TOO_FREQUENT']);
  });
});
