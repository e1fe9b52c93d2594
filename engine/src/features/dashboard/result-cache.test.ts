import { describe, expect, it } from 'vitest';
import { ALL_CLIENTS } from '../../lib/scope.js';
import { TokenBuckets } from '../rate-limit/rate-limit.js';
import { ResultCache, cacheKey } from './result-cache.js';

describe('ResultCache', () => {
  it('shares one computation between concurrent callers and expires after the TTL', async () => {
    let now = 0;
    let runs = 0;
    const cache = new ResultCache(1000, 10, () => now);
    const compute = async () => ++runs;
    expect(await Promise.all([cache.get('k', compute), cache.get('k', compute)])).toEqual([1, 1]);
    now = 999;
    expect(await cache.get('k', compute)).toBe(1);
    now = 1000;
    expect(await cache.get('k', compute)).toBe(2);
    cache.clear();
    expect(await cache.get('k', compute)).toBe(3);
  });

  it('does not keep failures, and computes every time with a TTL of 0', async () => {
    const cache = new ResultCache(1000, 10, () => 0);
    await expect(cache.get('k', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    await new Promise((r) => setImmediate(r));
    expect(await cache.get('k', async () => 'ok')).toBe('ok');
    let runs = 0;
    const off = new ResultCache(0);
    await off.get('k', async () => ++runs);
    await off.get('k', async () => ++runs);
    expect(runs).toBe(2);
  });

  it('keys on the scope: two RMs never share an entry', () => {
    const q = { status: 'Active' };
    expect(cacheKey('r', { all: false, rmIds: [1] }, false, q)).not.toBe(cacheKey('r', { all: false, rmIds: [2] }, false, q));
    expect(cacheKey('r', { all: false, rmIds: [1] }, false, q)).not.toBe(cacheKey('r', ALL_CLIENTS, false, q));
    expect(cacheKey('r', ALL_CLIENTS, false, q)).not.toBe(cacheKey('r', ALL_CLIENTS, true, q));
  });
});

describe('TokenBuckets', () => {
  it('allows the burst, then one request per 60/perMinute seconds, per key', () => {
    let now = 0;
    const b = new TokenBuckets(60, () => now); // one token a second
    for (let i = 0; i < 60; i++) expect(b.take('a')).toBe(0);
    expect(b.take('a')).toBe(1000);
    expect(b.take('b')).toBe(0);
    now = 500;
    expect(b.take('a')).toBe(500);
    now = 1000;
    expect(b.take('a')).toBe(0);
  });
});
