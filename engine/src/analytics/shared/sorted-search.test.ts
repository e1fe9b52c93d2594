import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastIndexAtOrBefore } from './sorted-search.js';

const id = <T>(x: T) => x;

describe('lastIndexAtOrBefore', () => {
  const dates = ['2024-03-28', '2024-04-01', '2024-04-01', '2024-04-02'];

  it('finds the last key at or before, with exact hits, gaps and both ends', () => {
    expect(lastIndexAtOrBefore(dates, '2024-03-27', id)).toBe(-1);
    expect(lastIndexAtOrBefore(dates, '2024-03-28', id)).toBe(0);
    expect(lastIndexAtOrBefore(dates, '2024-03-31', id)).toBe(0); // a weekend: the Thursday before
    expect(lastIndexAtOrBefore(dates, '2024-04-01', id)).toBe(2); // equal keys: the last of them
    expect(lastIndexAtOrBefore(dates, '2099-01-01', id)).toBe(3);
    expect(lastIndexAtOrBefore([], '2024-01-01', id)).toBe(-1);
    expect(lastIndexAtOrBefore([{ day: 5 }, { day: 9 }], 8, (x) => x.day)).toBe(0);
  });

  it('agrees with a linear scan', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 })), fc.integer({ min: -60, max: 60 }), (xs, key) => {
        const sorted = [...xs].sort((a, b) => a - b);
        let expected = -1;
        sorted.forEach((x, i) => {
          if (x <= key) expected = i;
        });
        expect(lastIndexAtOrBefore(sorted, key, id)).toBe(expected);
      }),
    );
  });
});
