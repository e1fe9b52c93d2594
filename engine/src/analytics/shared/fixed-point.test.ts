import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from './analytics-error.js';
import { formatScaled, parseScaled, rescale } from './fixed-point.js';

describe('fixed-point money', () => {
  it('parses NUMERIC strings exactly', () => {
    expect(parseScaled('1234567.89')).toEqual({ units: 123456789n, scale: 2 });
    expect(parseScaled('-0.0050')).toEqual({ units: -50n, scale: 4 });
    expect(parseScaled('42')).toEqual({ units: 42n, scale: 0 });
  });

  it('parses numbers and exponent forms through decimal.js', () => {
    expect(parseScaled(0.1)).toEqual({ units: 1n, scale: 1 });
    expect(parseScaled('1e-3')).toEqual({ units: 1n, scale: 3 });
  });

  it('rejects non-numbers', () => {
    expect(() => parseScaled('12,34,567')).toThrow(AnalyticsInputError);
  });

  it('sums 0.1 + 0.2 to exactly 0.3', () => {
    const a = parseScaled('0.1');
    const b = parseScaled('0.20');
    expect(formatScaled(rescale(a, 2) + rescale(b, 2), 2)).toBe('0.3');
  });

  it('formats negatives, small fractions and zero', () => {
    expect(formatScaled(-5n, 3)).toBe('-0.005');
    expect(formatScaled(1200n, 2)).toBe('12');
    expect(formatScaled(0n, 4)).toBe('0');
  });
});
