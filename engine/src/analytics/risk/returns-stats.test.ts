import { describe, expect, it } from 'vitest';
import { SAMPLE_BENCHMARK, SAMPLE_RETURNS, SAMPLE_RISK_FREE } from './sample-returns.fixture.js';
import { returnsStats } from './returns-stats.js';

describe('returnsStats', () => {
  it('produces the full block for the sample with a benchmark (numpy values, see sample-returns.fixture.ts)', () => {
    const stats = returnsStats({ returns: SAMPLE_RETURNS, benchmark: SAMPLE_BENCHMARK, riskFree: SAMPLE_RISK_FREE });
    expect(Object.keys(stats)).toEqual([
      'count',
      'cumulativeReturn',
      'annualReturn',
      'annualVolatility',
      'sharpe',
      'sortino',
      'downsideRisk',
      'maxDrawdown',
      'calmar',
      'beta',
      'alpha',
      'trackingError',
      'informationRatio',
      'upCapture',
      'downCapture',
      'valueAtRisk',
      'conditionalValueAtRisk',
    ]);
    expect(stats.count).toBe(11);
    const expected = {
      cumulativeReturn: 0.019152890322895244,
      annualReturn: 0.5443858006876705,
      annualVolatility: 0.2252634820907205,
      sharpe: 1.8102437838441647,
      sortino: 2.919642597374877,
      downsideRisk: 0.15693078960889964,
      maxDrawdown: -0.025,
      calmar: 21.775432027506803,
      beta: 1.290148448043185,
      alpha: 0.05430000371283028,
      trackingError: 0.06227358990776107,
      informationRatio: 2.0233296359922357,
      upCapture: 2.051449938271606,
      downCapture: 1.037834779672954,
      valueAtRisk: -0.0225,
      conditionalValueAtRisk: -0.025,
    };
    for (const [key, value] of Object.entries(expected)) {
      expect(stats[key as keyof typeof expected], key).toBeCloseTo(value, 9);
    }
  });

  it('reports benchmark statistics as null without a benchmark', () => {
    const stats = returnsStats({ returns: SAMPLE_RETURNS });
    expect([stats.beta, stats.alpha, stats.trackingError, stats.informationRatio, stats.upCapture, stats.downCapture]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('is all null (count 0) for an empty series, never 0 or NaN', () => {
    const stats = returnsStats({ returns: [], benchmark: [] });
    const { count, ...rest } = stats;
    expect(count).toBe(0);
    expect(Object.values(rest).every((v) => v === null)).toBe(true);
  });

  it('is all null for an all-null series', () => {
    const stats = returnsStats({ returns: [null, null], benchmark: [0.01, 0.02] });
    const { count, ...rest } = stats;
    expect(count).toBe(0);
    expect(Object.values(rest).every((v) => v === null)).toBe(true);
  });

  it('leaves no NaN or Infinity for a constant series', () => {
    const stats = returnsStats({ returns: [0.001, 0.001, 0.001], benchmark: [0.002, 0.002, 0.002] });
    expect(stats.sharpe).toBeNull();
    expect(stats.beta).toBeNull();
    expect(stats.sortino).toBeNull();
    expect(stats.calmar).toBeNull();
    expect(stats.annualVolatility).toBe(0);
    for (const v of Object.values(stats)) if (v !== null) expect(Number.isFinite(v)).toBe(true);
  });
});
