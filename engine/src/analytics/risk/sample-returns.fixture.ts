/**
 * A 12-day sample (one missing day in each series) used by the risk tests. Expected values were computed
 * independently with numpy 2.4 / scipy 1.17, re-typing empyrical's formulas with nan-aware functions:
 * `python3 engine/src/analytics/risk/sample-returns.reference.py` prints every number the tests hard-code.
 */
export const SAMPLE_RETURNS: (number | null)[] = [0.01, -0.02, 0.015, null, 0.003, -0.007, 0.012, -0.025, 0.02, 0.004, -0.001, 0.009];
export const SAMPLE_BENCHMARK: (number | null)[] = [0.008, -0.015, 0.01, 0.002, null, -0.004, 0.01, -0.02, 0.015, 0.006, -0.003, 0.005];
export const SAMPLE_RISK_FREE = 0.0002;
