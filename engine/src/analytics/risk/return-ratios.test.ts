import { describe, expect, it } from 'vitest';
import { SAMPLE_RETURNS, SAMPLE_RISK_FREE } from './sample-returns.fixture.js';
import {
  annualReturn,
  annualVolatility,
  calmarRatio,
  cumulativeReturn,
  downsideRisk,
  sharpeRatio,
  sortinoRatio,
} from './return-ratios.js';

// Expected values: numpy on the 11 present SAMPLE_RETURNS (see sample-returns.fixture.ts), N = 252.
describe('return ratios on the sample series', () => {
  it('cumulative return: prod(1 + r) − 1', () => {
    expect(cumulativeReturn(SAMPLE_RETURNS)).toBeCloseTo(0.019152890322895244, 14);
  });

  it('annual return: (1 + cum)^(252/11) − 1', () => {
    expect(annualReturn(SAMPLE_RETURNS)).toBeCloseTo(0.5443858006876705, 12);
  });

  it('annual volatility: np.std(ddof=1) × √252', () => {
    expect(annualVolatility(SAMPLE_RETURNS)).toBeCloseTo(0.2252634820907205, 14);
  });

  it('Sharpe with rf = 0.0002 per day', () => {
    expect(sharpeRatio(SAMPLE_RETURNS, SAMPLE_RISK_FREE)).toBeCloseTo(1.8102437838441647, 12);
  });

  it('downside risk: mean of squared shortfalls over all 11 observations', () => {
    expect(downsideRisk(SAMPLE_RETURNS)).toBeCloseTo(0.15693078960889964, 14);
  });

  it('Sortino: mean × 252 / downside risk', () => {
    expect(sortinoRatio(SAMPLE_RETURNS)).toBeCloseTo(2.919642597374877, 12);
  });

  it('Calmar: annual return / |max drawdown| (−2.5%)', () => {
    expect(calmarRatio(SAMPLE_RETURNS)).toBeCloseTo(21.775432027506803, 10);
  });
});

describe('return ratios on degenerate series', () => {
  it('are null for an empty series', () => {
    expect([cumulativeReturn([]), annualReturn([]), annualVolatility([]), sharpeRatio([]), downsideRisk([]), sortinoRatio([]), calmarRatio([])]).toEqual(
      [null, null, null, null, null, null, null],
    );
  });

  it('are null for an all-null series', () => {
    const allNull = [null, null, null];
    expect([cumulativeReturn(allNull), annualReturn(allNull), annualVolatility(allNull), sharpeRatio(allNull), downsideRisk(allNull)]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('a single point has a return but no volatility or Sharpe', () => {
    expect(cumulativeReturn([0.01])).toBeCloseTo(0.01, 15);
    expect(annualVolatility([0.01])).toBeNull();
    expect(sharpeRatio([0.01])).toBeNull();
    expect(sortinoRatio([0.01])).toBeNull();
  });

  it('a constant series has zero volatility and an undefined Sharpe (not a huge number)', () => {
    const constant = [0.01, 0.01, 0.01];
    expect(annualVolatility(constant)).toBe(0);
    expect(sharpeRatio(constant)).toBeNull();
  });

  it('Sortino is null when nothing fell below the required return', () => {
    expect(downsideRisk([0.01, 0.02])).toBe(0);
    expect(sortinoRatio([0.01, 0.02])).toBeNull();
  });

  it('Calmar is null without a drawdown', () => {
    expect(calmarRatio([0.01, 0.02])).toBeNull();
  });

  it('annual return of a total loss is −100%', () => {
    expect(annualReturn([0.1, -1, 0.2])).toBe(-1);
  });
});
