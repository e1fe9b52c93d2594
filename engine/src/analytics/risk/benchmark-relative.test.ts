import { describe, expect, it } from 'vitest';
import { alpha, beta, correlation, informationRatio, rSquared, trackingError } from './benchmark-relative.js';
import { SAMPLE_BENCHMARK, SAMPLE_RETURNS, SAMPLE_RISK_FREE } from './sample-returns.fixture.js';

// Expected values: numpy over the 10 jointly present pairs of the sample (see sample-returns.fixture.ts), N = 252.
describe('benchmark-relative statistics on the sample', () => {
  it('beta: population cov / var of excess returns', () => {
    expect(beta(SAMPLE_RETURNS, SAMPLE_BENCHMARK, SAMPLE_RISK_FREE)).toBeCloseTo(1.290148448043185, 12);
  });

  it("alpha: Jensen's, (1 + mean residual)^252 − 1", () => {
    expect(alpha(SAMPLE_RETURNS, SAMPLE_BENCHMARK, SAMPLE_RISK_FREE)).toBeCloseTo(0.05430000371283028, 12);
  });

  it('correlation: np.corrcoef', () => {
    expect(correlation(SAMPLE_RETURNS, SAMPLE_BENCHMARK)).toBeCloseTo(0.9903392667619115, 13);
  });

  it('R²: correlation squared', () => {
    expect(rSquared(SAMPLE_RETURNS, SAMPLE_BENCHMARK)).toBeCloseTo(0.9807718632905206, 13);
  });

  it('tracking error: std(r − b, ddof=1) × √252', () => {
    expect(trackingError(SAMPLE_RETURNS, SAMPLE_BENCHMARK)).toBeCloseTo(0.06227358990776107, 14);
  });

  it('information ratio: mean(r − b) / std(r − b) × √252', () => {
    expect(informationRatio(SAMPLE_RETURNS, SAMPLE_BENCHMARK)).toBeCloseTo(2.0233296359922357, 12);
  });
});

describe('benchmark-relative statistics on degenerate input', () => {
  it('beta and alpha are null against a flat benchmark', () => {
    expect(beta([0.01, 0.02, -0.01], [0.001, 0.001, 0.001])).toBeNull();
    expect(alpha([0.01, 0.02, -0.01], [0.001, 0.001, 0.001])).toBeNull();
  });

  it('everything is null with fewer than two joint observations', () => {
    const r = [0.01, null, 0.02];
    const b = [0.01, 0.02, null];
    expect([beta(r, b), alpha(r, b), correlation(r, b), trackingError(r, b), informationRatio(r, b)]).toEqual([null, null, null, null, null]);
  });

  it('tracking error is 0 and the information ratio null when the portfolio tracks exactly', () => {
    const r = [0.01, -0.02, 0.03];
    expect(trackingError(r, r)).toBe(0);
    expect(informationRatio(r, r)).toBeNull();
  });

  it('rejects series of different lengths', () => {
    expect(() => beta([0.01, 0.02], [0.01])).toThrow();
  });
});
