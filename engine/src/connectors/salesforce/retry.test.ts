import { describe, expect, it } from 'vitest';
import { backoffDelay, retryReason, salesforceErrorCode, withRetry, type RetryInfo } from './retry.js';
import { SalesforceAuthError } from './connection.js';

const sfError = (errorCode: string, message = errorCode) => Object.assign(new Error(message), { name: errorCode, errorCode });

describe('retryReason', () => {
  it.each([
    [sfError('REQUEST_LIMIT_EXCEEDED'), 'REQUEST_LIMIT_EXCEEDED'],
    [sfError('UNABLE_TO_LOCK_ROW'), 'UNABLE_TO_LOCK_ROW'],
    [sfError('SERVER_UNAVAILABLE'), 'SERVER_UNAVAILABLE'],
    [sfError('ERROR_HTTP_503', '<html>Service Unavailable</html>'), 'ERROR_HTTP_503'],
    [sfError('ERROR_HTTP_400', '[{"message":"unable to obtain exclusive access","errorCode":"UNABLE_TO_LOCK_ROW"}]'), 'UNABLE_TO_LOCK_ROW'],
    [Object.assign(new Error('request to https://x/ failed, reason: read ECONNRESET'), { name: 'FetchError', code: 'ECONNRESET' }), 'ECONNRESET'],
    [Object.assign(new Error('request to https://x/ failed, reason: socket hang up'), { name: 'FetchError' }), 'socket hang up'],
    [new Error('connect ETIMEDOUT 10.0.0.1:443'), 'ETIMEDOUT'],
    [new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'EPIPE' }) }), 'EPIPE'],
  ])('retries %s', (error, reason) => {
    expect(retryReason(error)).toBe(reason);
  });

  it.each([
    sfError('INVALID_SESSION_ID'),
    sfError('INVALID_FIELD'),
    sfError('MALFORMED_QUERY'),
    sfError('REQUIRED_FIELD_MISSING'),
    sfError('ERROR_HTTP_400', 'Bad Request'),
    sfError('ERROR_HTTP_404', '[{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}]'),
    new SalesforceAuthError('login failed', 'invalid_grant'),
    new Error('Unable to refresh session due to: invalid client credentials'),
    new TypeError('x is not a function'),
    'a string',
    null,
  ])('does not retry %s', (error) => {
    expect(retryReason(error)).toBeNull();
  });

  it('reads the error code of a text response out of the raw body', () => {
    expect(salesforceErrorCode(sfError('ERROR_HTTP_403', '[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]'))).toBe('REQUEST_LIMIT_EXCEEDED');
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt with jitter in the upper half, capped at maxMs', () => {
    expect(backoffDelay(1, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(1, 100, 10_000, () => 1)).toBe(100);
    expect(backoffDelay(4, 100, 10_000, () => 0.5)).toBe(600);
    expect(backoffDelay(20, 100, 10_000, () => 1)).toBe(10_000);
  });
});

describe('withRetry', () => {
  const instant = { sleep: async () => undefined, random: () => 1 };

  it('retries transient failures with growing delays, then returns the result', async () => {
    const retries: RetryInfo[] = [];
    let calls = 0;
    const result = await withRetry(
      async (attempt) => {
        calls++;
        if (attempt === 0) throw sfError('REQUEST_LIMIT_EXCEEDED');
        if (attempt === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        return 'ok';
      },
      { ...instant, baseMs: 100, onRetry: (info) => retries.push(info) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(retries.map((r) => [r.attempt, r.reason, r.delayMs])).toEqual([
      [1, 'REQUEST_LIMIT_EXCEEDED', 100],
      [2, 'ECONNRESET', 200],
    ]);
  });

  it('rethrows auth and validation errors at once', async () => {
    let calls = 0;
    const error = sfError('INVALID_FIELD', "No such column 'Foo__c' on entity 'Account'");
    await expect(
      withRetry(async () => {
        calls++;
        throw error;
      }, instant),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
  });

  it('gives up after `retries` retries with the last error', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw sfError('UNABLE_TO_LOCK_ROW', `lock ${calls}`);
        },
        { ...instant, retries: 2 },
      ),
    ).rejects.toThrow('lock 3');
    expect(calls).toBe(3);
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          controller.abort();
          throw sfError('REQUEST_LIMIT_EXCEEDED');
        },
        { signal: controller.signal, baseMs: 1 },
      ),
    ).rejects.toThrow('REQUEST_LIMIT_EXCEEDED');
    expect(calls).toBe(1);
  });
});
