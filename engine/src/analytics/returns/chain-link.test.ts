import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainLink } from './chain-link.js';

describe('chainLink', () => {
  it('links +10% and −10% to −1% (1.1 × 0.9 − 1, hand-computed)', () => {
    expect(chainLink([0.1, -0.1])).toBeCloseTo(-0.01, 15);
  });

  it('is 0 for the empty chain', () => {
    expect(chainLink([])).toBe(0);
  });

  it('is the return itself for a single period', () => {
    expect(chainLink([0.0375])).toBeCloseTo(0.0375, 15);
  });

  it('property: associative — linking two linked halves equals linking the whole', () => {
    const returns = fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { maxLength: 40 });
    fc.assert(
      fc.property(returns, returns, (a, b) => {
        const whole = chainLink([...a, ...b]);
        const halves = chainLink([chainLink(a), chainLink(b)]);
        expect(Math.abs(whole - halves)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(whole)));
      }),
    );
  });
});
