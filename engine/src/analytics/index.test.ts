import { describe, expect, it } from 'vitest';
import * as analytics from './index.js';

describe('analytics public API', () => {
  it('exports every calculator', () => {
    const expected = [
      'annualize', 'chainLink', 'dailyTwrr', 'modifiedDietz', 'compositeTwrr', 'blendedIndexReturns', 'xirr', 'xnpv',
      'periodRange', 'periodReturn', 'cumulativeReturn', 'annualReturn', 'annualVolatility', 'sharpeRatio', 'downsideRisk',
      'sortinoRatio', 'maxDrawdown', 'calmarRatio', 'beta', 'alpha', 'rSquared', 'correlation', 'trackingError',
      'informationRatio', 'valueAtRisk', 'conditionalValueAtRisk', 'parametricValueAtRisk', 'upCapture', 'downCapture',
      'monthlyReturns', 'bestMonth', 'worstMonth', 'hitRate', 'returnsStats', 'riskFreePerDay', 'contributionByGroup',
      'aumTrend', 'netFlows', 'newClientsByMonth', 'churn', 'turnover', 'dispersion',
    ];
    for (const name of expected) expect(typeof (analytics as Record<string, unknown>)[name], name).toBe('function');
  });
});
