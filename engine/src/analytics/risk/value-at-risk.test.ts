import { describe, expect, it } from 'vitest';
import { SAMPLE_RETURNS } from './sample-returns.fixture.js';
import { inverseNormalCdf } from './inverse-normal.js';
import { conditionalValueAtRisk, parametricValueAtRisk, percentile, valueAtRisk } from './value-at-risk.js';

describe('value at risk', () => {
  it('historical VaR interpolates like numpy.percentile', () => {
    // 11 present returns, position 10 × 0.05 = 0.5 between −0.025 and −0.02 → −0.0225 (numpy.percentile)
    expect(valueAtRisk(SAMPLE_RETURNS)).toBeCloseTo(-0.0225, 15);
  });

  it('CVaR is the mean of returns at or below VaR', () => {
    expect(conditionalValueAtRisk(SAMPLE_RETURNS)).toBeCloseTo(-0.025, 15);
  });

  it('CVaR averages every return at or below a wider cutoff', () => {
    // [−3, −2, −1, 0, 1] (%): 25th percentile = −2 → mean(−3, −2) = −2.5 (hand)
    expect(conditionalValueAtRisk([0.01, -0.03, 0, -0.01, -0.02], 0.25)).toBeCloseTo(-0.025, 15);
  });

  it('parametric VaR: mean + z₀.₀₅ × sample std', () => {
    // numpy mean + scipy.stats.norm.ppf(0.05) × std(ddof=1) = −0.02152272793821983
    expect(parametricValueAtRisk(SAMPLE_RETURNS)).toBeCloseTo(-0.02152272793821983, 9);
  });

  it('numpy linear percentile at the ends and the middle', () => {
    expect(percentile([1, 2, 3, 4], 0)).toBe(1);
    expect(percentile([1, 2, 3, 4], 1)).toBe(4);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it('is null for an empty series', () => {
    expect([valueAtRisk([]), conditionalValueAtRisk([null]), parametricValueAtRisk([0.01])]).toEqual([null, null, null]);
  });

  it('rejects a cutoff outside (0, 1)', () => {
    expect(() => valueAtRisk([0.01], 0)).toThrow();
  });
});

describe('inverseNormalCdf (Acklam)', () => {
  it('matches scipy.stats.norm.ppf to 1e-8 in each region', () => {
    expect(inverseNormalCdf(0.05)).toBeCloseTo(-1.6448536269514729, 8);
    expect(inverseNormalCdf(0.001)).toBeCloseTo(-3.090232306167813, 8);
    expect(inverseNormalCdf(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(inverseNormalCdf(0.5)).toBe(0);
  });
});
