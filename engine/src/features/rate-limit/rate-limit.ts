import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env.js';
import { AppError } from '../../lib/errors.js';
import { requestIp } from '../audit/audit.js';

/**
 * An in-memory token bucket per caller: `perMinute` requests a minute, bursts up to `perMinute`.
 * One process only (a second engine instance keeps its own buckets). perMinute = 0 turns it off.
 */
export class TokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    readonly perMinute: number,
    private now: () => number = () => performance.now(),
  ) {}

  /** Takes one token; returns 0 when allowed, else the milliseconds until one is available. */
  take(key: string): number {
    const now = this.now();
    const rate = this.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * rate);
    b.at = now;
    if (this.buckets.size > 50_000) this.sweep(now);
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / rate);
  }

  /** Forgets buckets that have refilled completely (they are indistinguishable from new ones). */
  private sweep(now: number) {
    for (const [k, b] of this.buckets) if (b.tokens + (now - b.at) * (this.perMinute / 60_000) >= this.perMinute) this.buckets.delete(k);
  }
}

/** Per API key / user (after authentication), per address for unauthenticated calls (sign-in). 429 in the error format. */
export function rateLimit(perMinute: number) {
  const buckets = new TokenBuckets(perMinute);
  return createMiddleware<AppEnv>(async (c, next) => {
    if (perMinute <= 0) return next();
    const p = c.var.principal;
    // An acting-for principal is limited per user: one Salesforce key serves every RM.
    const key = p ? (p.userId != null ? `user:${p.userId}` : p.id) : `ip:${requestIp(c) ?? 'unknown'}`;
    const waitMs = buckets.take(key);
    if (waitMs > 0) {
      c.header('retry-after', String(Math.ceil(waitMs / 1000)));
      throw new AppError(429, 'RATE_LIMITED', `Too many requests; limit ${perMinute} a minute. Retry after ${Math.ceil(waitMs / 1000)} s.`);
    }
    return next();
  });
}
